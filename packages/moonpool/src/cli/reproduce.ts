import { type BugRecipe, formatBugRecipe } from '@moonpool/explorer';

/** The command that re-runs exactly one seed of the simulation `name`. */
export function reproduceCommand(name: string, seed: bigint, dir?: string): string {
  const command = `npx moonpool sim run ${shellQuote(name)} --seed ${seed}`;
  return dir === undefined ? command : `${command} --dir ${shellQuote(dir)}`;
}

/** The command that replays exactly one timeline found by exploration. */
export function reproduceRecipeCommand(name: string, bug: BugRecipe, dir?: string): string {
  const command = `npx moonpool sim run ${shellQuote(name)} --recipe ${shellQuote(formatBugRecipe(bug))}`;
  return dir === undefined ? command : `${command} --dir ${shellQuote(dir)}`;
}

/** Quotes `text` for a POSIX shell, leaving plain words (the usual case) untouched. */
export function shellQuote(text: string): string {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", "'\\''")}'`;
}
