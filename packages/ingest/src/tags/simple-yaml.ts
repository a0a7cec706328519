/**
 * A fast reader for the one YAML shape that fills TagPacks: a block sequence of flat
 * mappings, one `key: scalar` per line. The `yaml` package reads GraphSense's 4 MB packs
 * at well under 1 MB/s here; this reads them at tens of MB/s. It accepts only what it can
 * read exactly as YAML 1.2 (core schema) would, and answers null for anything else (flow
 * collections, nested blocks, anchors, tags, multi-line or escaped scalars), which the
 * caller then hands to the `yaml` package. Tests hold it to the package's results on every
 * real pack.
 */

/** A scalar as the YAML 1.2 core schema resolves it. */
export type YamlScalar = string | number | boolean | null;

/** One flat mapping with the 1-based line of each key. */
export interface SimpleMapping {
  readonly values: Record<string, YamlScalar>;
  readonly lines: Record<string, number>;
}

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]+(.*))?$/;
const NULL = /^(?:~|null|Null|NULL)$/;
const TRUE = /^(?:true|True|TRUE)$/;
const FALSE = /^(?:false|False|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** Characters that make a plain scalar something else when they start it. */
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

/** A plain scalar resolved by the core schema; undefined when it is not a plain scalar we read exactly. */
function plain(text: string): YamlScalar | undefined {
  if (INDICATOR_START.test(text)) return undefined;
  if (text.includes(': ') || text.endsWith(':') || text.includes('\t')) return undefined;
  if (NULL.test(text)) return null;
  if (TRUE.test(text)) return true;
  if (FALSE.test(text)) return false;
  if (INT.test(text) || FLOAT.test(text) || OCT.test(text) || HEX.test(text) || SPECIAL_FLOAT.test(text)) return undefined;
  return text;
}

/** The scalar after `key:`, or undefined when the line needs the full YAML reader. */
export function readScalar(raw: string | undefined): YamlScalar | undefined {
  if (raw === undefined) return undefined;
  let text = raw;
  const comment = text.search(/[ \t]#/);
  if (text.startsWith("'")) {
    const end = text.lastIndexOf("'");
    if (end <= 0) return undefined;
    const rest = text.slice(end + 1).trim();
    if (rest !== '' && !rest.startsWith('#')) return undefined;
    const body = text.slice(1, end);
    if (/'(?!')/.test(body.replace(/''/g, ''))) return undefined;
    return body.replace(/''/g, "'");
  }
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    if (end < 0 || text.slice(1, end).includes('\\')) return undefined;
    const rest = text.slice(end + 1).trim();
    if (rest !== '' && !rest.startsWith('#')) return undefined;
    return text.slice(1, end);
  }
  if (comment >= 0) text = text.slice(0, comment);
  text = text.trimEnd();
  if (text === '') return undefined;
  return plain(text);
}

/**
 * Reads the lines of one sequence item (`- key: value` then `  key: value` lines, blank
 * and comment lines allowed) starting at 1-based line `firstLine`. Returns null when the
 * item uses anything beyond flat `key: scalar` lines.
 */
export function readSimpleItem(lines: readonly string[], firstLine: number): SimpleMapping | null {
  const values: Record<string, YamlScalar> = {};
  const at: Record<string, number> = {};
  let keyIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    let indent = line.length - line.trimStart().length;
    if (i === 0) {
      if (!line.trimStart().startsWith('- ')) return null;
      const dash = line.indexOf('-');
      const after = line.slice(dash + 1);
      const spaces = after.length - after.trimStart().length;
      indent = dash + 1 + spaces;
      line = ' '.repeat(indent) + after.trimStart();
    }
    if (keyIndent < 0) keyIndent = indent;
    if (indent !== keyIndent || line.includes('\t')) return null;
    const match = KEY_LINE.exec(line.slice(indent).trimEnd());
    if (match === null) return null;
    const key = match[1]!;
    const value = readScalar(match[2]);
    if (value === undefined || Object.hasOwn(values, key)) return null;
    values[key] = value;
    at[key] = firstLine + i;
  }
  return keyIndent < 0 ? null : { values, lines: at };
}
