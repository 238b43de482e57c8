import { readFileSync } from "node:fs";
import {
  DataSet, RegExpMatcher, englishDataset, englishRecommendedTransformers, parseRawPattern, type MatchPayload,
} from "obscenity";

/** The list shipped with the server (FILTER_LIST_FILE replaces it). */
export const DEFAULT_FILTER_LIST = new URL("./wordlist.txt", import.meta.url).pathname;

/** What the filter made of a text: the text with every match masked, and whether anything was. */
export interface Screened {
  text: string;
  /** True when nothing was masked. */
  clean: boolean;
}

/** A run of at least this many one-character words ("f u c k", "f.u.c.k") is read as one word too. */
const SPACED_RUN = 3;

/**
 * The word filter for names and chat, on `obscenity`'s matcher: it reads
 * through case, look-alike characters (Cyrillic, full-width, accents, leet
 * digits) and repeated letters, and, here, through letters spaced or dotted
 * apart. Matches are masked with `*`; whole words of ordinary text that
 * happen to contain a listed word ("Scunthorpe", "assassin", "cocktail")
 * pass, through the list's allowed phrases and whole-word entries.
 *
 * The list is a text file the host can edit (docs/configuration.md,
 * FILTER_LIST_FILE): one entry a line; `word` blocks the word inside others
 * too, `|word|` as a whole word only, `!phrase` allows a phrase, `@english`
 * takes in obscenity's English list (MIT licence), `#` starts a comment.
 */
export class WordFilter {
  private readonly matcher: RegExpMatcher;

  constructor(list: string) {
    const data = new DataSet<{ originalWord: string }>();
    if (/^\s*@english\s*$/m.test(list)) data.addAll(englishDataset);
    for (const raw of list.split("\n")) {
      const line = raw.replace(/#.*$/, "").trim();
      if (line === "" || line === "@english") continue;
      if (line.startsWith("!")) data.addPhrase((phrase) => phrase.setMetadata({ originalWord: line }).addWhitelistedTerm(line.slice(1).trim().toLowerCase()));
      else data.addPhrase((phrase) => phrase.setMetadata({ originalWord: line }).addPattern(parseRawPattern(line.toLowerCase())));
    }
    this.matcher = new RegExpMatcher({ ...data.build(), ...englishRecommendedTransformers });
  }

  /** The filter with the list in `path` (the shipped one by default); throws when it cannot be read. */
  static fromFile(path = DEFAULT_FILTER_LIST): WordFilter {
    return new WordFilter(readFileSync(path, "utf8"));
  }

  /** `text` with every match masked. */
  screen(text: string): Screened {
    // The matcher's indices count UTF-16 code units, as splitting on "" does.
    const masked = text.split("");
    let clean = true;
    const mask = (start: number, end: number) => {
      clean = false;
      for (let i = start; i <= end && i < masked.length; i++) if (!/\s/.test(masked[i]!)) masked[i] = "*";
    };
    for (const match of this.matcher.getAllMatches(text)) mask(...span(match));
    for (const run of spacedRuns(masked)) {
      // Only the run's letters that make up the match: "a b i t c h" masks "b i t c h" and keeps the "a".
      for (const match of this.matcher.getAllMatches(run.letters)) mask(run.at[match.startIndex]!, run.at[match.endIndex]!);
    }
    return clean ? { text, clean } : { text: masked.join(""), clean };
  }

  /** True when `text` has nothing to mask. */
  passes(text: string): boolean {
    return this.screen(text).clean;
  }
}

function span(match: MatchPayload): [number, number] {
  return [match.startIndex, match.endIndex];
}

/** Runs of single characters set apart by spaces or punctuation: their letters joined, and where in the text each letter is. */
function spacedRuns(chars: readonly string[]): Array<{ letters: string; at: number[] }> {
  const runs: Array<{ letters: string; at: number[] }> = [];
  const words: Array<{ start: number; end: number }> = [];
  let start = -1;
  for (let i = 0; i <= chars.length; i++) {
    const wordChar = i < chars.length && /[\p{L}\p{N}@$]/u.test(chars[i]!);
    if (wordChar && start < 0) start = i;
    if (!wordChar && start >= 0) {
      words.push({ start, end: i - 1 });
      start = -1;
    }
  }
  let first = 0;
  for (let i = 0; i <= words.length; i++) {
    const single = i < words.length && words[i]!.start === words[i]!.end;
    if (single) continue;
    if (i - first >= SPACED_RUN) {
      const run = words.slice(first, i);
      runs.push({ letters: run.map((word) => chars[word.start]).join(""), at: run.map((word) => word.start) });
    }
    first = i + 1;
  }
  return runs;
}
