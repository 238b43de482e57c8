import { TUNING, resolveTuning, type PlantedFaults, type Tuning } from "../../shared/rules.ts";
import { usageError } from "./report.ts";

/** The rule flags every simulation command shares, taken out of the command line. */
export interface RuleFlags {
  /** `--set name=value`, repeatable: tuning values (`TUNING` in shared/rules.ts). */
  tuning: Partial<Tuning>;
  /** `--plant name`, repeatable: a planted fault (`PlantedFaults`), for trying the fuzzer. */
  faults: PlantedFaults;
  /** `--compare`: run the game as shipped beside the rules set. */
  compare: boolean;
  /** Everything else, in order, for the command's own flags. */
  rest: string[];
}

const FAULTS: readonly (keyof PlantedFaults)[] = ["wallCheckOff", "shieldHeals", "hiddenState"];

/** Takes `--set`, `--plant` and `--compare` out of `argv`; throws a usage message on a bad one. */
export function takeRuleFlags(argv: readonly string[]): RuleFlags {
  const flags: RuleFlags = { tuning: {}, faults: {}, compare: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--compare") flags.compare = true;
    else if (arg === "--set") {
      const [name, text, extra] = (argv[++i] ?? "").split("=");
      if (!name || text === undefined || extra !== undefined || text.trim() === "" || !Number.isFinite(Number(text))) {
        throw new Error(`--set takes rule=number, e.g. --set fireCooldownSeconds=0.3 (rules: ${Object.keys(TUNING).join(", ")})`);
      }
      flags.tuning[name as keyof Tuning] = Number(text);
    } else if (arg === "--plant") {
      const fault = argv[++i] as keyof PlantedFaults;
      if (!FAULTS.includes(fault)) throw new Error(`--plant takes one of ${FAULTS.join(", ")}`);
      flags.faults[fault] = true;
    } else flags.rest.push(arg);
  }
  resolveTuning(flags.tuning);
  return flags;
}

/** `takeRuleFlags` for a command-line tool: a bad flag is a usage error. */
export function toolRuleFlags(tool: string, argv: readonly string[]): RuleFlags {
  try {
    return takeRuleFlags(argv);
  } catch (error) {
    return usageError(tool, (error as Error).message);
  }
}

/** `name=value` for each changed rule, or "as shipped". */
export function describeTuning(tuning: Partial<Tuning>): string {
  const entries = Object.entries(tuning);
  return entries.length === 0 ? "the rules as shipped" : entries.map(([name, value]) => `${name}=${value}`).join(", ");
}
