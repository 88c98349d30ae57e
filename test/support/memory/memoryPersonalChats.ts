/** PersonalChats in memory: a map by canonical object id; writes are counted (refreshes that change nothing are skipped). */
import type { ChatAddress } from '../../../src/domain/guestRequest';
import { idKey } from '../../../src/domain/identity';
import type { PersonalChats } from '../../../src/domain/ports';
import { jsonCopy } from './jsonCopy';
import { yieldTurn } from './yieldTurn';

export class MemoryPersonalChats implements PersonalChats {
  private readonly chats = new Map<string, ChatAddress>();
  /** Saves that changed something, and removals. */
  writes = 0;

  async get(userId: string): Promise<ChatAddress | undefined> {
    await yieldTurn();
    const chat = this.chats.get(idKey(userId));
    return chat ? jsonCopy(chat) : undefined;
  }

  async save(userId: string, address: ChatAddress): Promise<void> {
    await yieldTurn();
    const key = idKey(userId);
    if (JSON.stringify(this.chats.get(key)) === JSON.stringify(address)) return;
    this.chats.set(key, jsonCopy(address));
    this.writes++;
  }

  async remove(userId: string): Promise<void> {
    await yieldTurn();
    if (this.chats.delete(idKey(userId))) this.writes++;
  }
}
