import { requestForm } from '../requestForm';
import type { ActionHandler } from '../handler';

/** The help card's button. Like a submitted form, only in the personal chat (the details stay private). */
export const openRequestForm: ActionHandler = async (ctx) =>
  ctx.turn.personal ? { card: await requestForm(ctx) } : { text: ctx.t.messages.personalChatOnly };
