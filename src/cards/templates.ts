/**
 * Loads the Adaptive Card templates from the top-level cards/ folder once, parsed into objects.
 * Templates are always expanded from these objects with typed data, never from strings into
 * which user text has been pasted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Template } from 'adaptivecards-templating';

export const CARD_NAMES = ['help', 'requestForm', 'approval', 'requestStatus', 'requestList', 'more'] as const;
export type CardName = (typeof CARD_NAMES)[number];

/** Works from src/ (tests via build/src) and dist/ alike: walk up to the folder that holds cards/. */
export function cardsDirectory(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'cards');
    if (existsSync(join(candidate, 'requestForm.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`No cards/ folder found above ${start}`);
  }
}

const cache = new Map<CardName, Template>();

export function cardTemplate(name: CardName): Template {
  let template = cache.get(name);
  if (!template) {
    const payload: unknown = JSON.parse(readFileSync(join(cardsDirectory(), `${name}.json`), 'utf8'));
    template = new Template(payload);
    cache.set(name, template);
  }
  return template;
}
