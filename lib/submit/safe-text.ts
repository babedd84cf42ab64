/**
 * Text from the network (a hub's error message, GitHub's) printed to a terminal: control
 * characters could move the cursor or rewrite earlier lines (terminal escape injection), so they
 * are replaced; the length is bounded.
 */
export function safeText(text: string, max = 300): string {
  const clean = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
