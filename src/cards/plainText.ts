/**
 * Makes user-typed text display as exactly what was typed. Teams renders a markdown subset in card
 * TextBlocks and message text, turns bare URLs into links and treats `<at>…</at>` as a mention, so a
 * requester could otherwise put a convincing link or a fake mention on an approver's screen.
 */

const MARKDOWN = /[\\`*_{}[\]()#+\-.!|~<>]/g;

export function plainText(value: string | undefined): string {
  if (!value) return '';
  return (
    value
      // Control and bidi-override characters can disguise text; nobody types them on purpose.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g, '')
      .replace(/&/g, '&amp;')
      .replace(MARKDOWN, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : `\\${ch}`))
      // Break autolinking of schemes and www. hosts with a zero-width joiner the reader won't see.
      .replace(/(https?|ftp|mailto|file|javascript|data|tel|msteams)(\\?:)/gi, '$1\u2060$2')
      .replace(/(www)\\\./gi, '$1\u2060\\.')
  );
}

/** For texts the bot wrote but that embed user input, e.g. "Reason: <user text>". */
export function plainTextOrDash(value: string | undefined): string {
  return value && value.trim() ? plainText(value) : '—';
}
