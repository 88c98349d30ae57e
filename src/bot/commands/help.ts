import { helpCard } from '../../cards/views/helpView';
import type { CommandHandler } from '../handler';

export const helpCommand: CommandHandler = async ({ t }) => ({ cards: [helpCard(t)] });
