/**
 * "Fix with Hunyuan": the quick fix for diagnostics. The problems (message, severity, source,
 * code, line) go into the prompt; the proposal replaces a range around them:
 *
 * - the whole lines the diagnostics cover, or
 * - the whole function or class around them when the language reports one and it is at most
 *   `MAX_SYMBOL_LINES` lines: many fixes belong a few lines away from the squiggle (a parameter's
 *   type, a missing `await` on the caller's line, a variable declared above), and a small symbol
 *   gives the model room for them while the diff still shows only what changed.
 *
 * The command takes its diagnostics as arguments (the code action passes them); without any it
 * fixes the problems on the active editor's selection or cursor line.
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import { fixDiagnosticPrompt, type DiagnosticInfo, type DiagnosticSeverity } from '../../core/edit/prompts';
import { enclosingSymbol } from './explain';
import { eolOf } from '../documents';
import { editorFor, rangeFromTuple, rangePromptInput, shorten, targetDocument, wholeLines, type RangeTuple } from './editorTarget';
import { proposeEdit, type ProposalOutcome, type ProposeDeps } from './proposeEdit';

/** The largest enclosing symbol (in lines) rewritten whole for a fix; beyond it, only the diagnostics' lines. */
export const MAX_SYMBOL_LINES = 40;

/** A diagnostic as a command argument (plain JSON: survives any command round trip). */
export interface FixDiagnosticArg {
  message: string;
  severity?: DiagnosticSeverity;
  source?: string;
  code?: string | number;
  /** `[startLine, startCharacter, endLine, endCharacter]`, 0-based. */
  range: RangeTuple;
}

export interface FixArgs {
  uri?: string;
  diagnostics?: FixDiagnosticArg[];
  /** Anything to add to the instruction ("keep the public API"). */
  instruction?: string;
}

const SEVERITIES: Record<vscode.DiagnosticSeverity, DiagnosticSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** A `vscode.Diagnostic` as a command argument. */
export function diagnosticArg(d: vscode.Diagnostic): FixDiagnosticArg {
  const code = typeof d.code === 'object' && d.code !== null ? d.code.value : d.code;
  return {
    message: d.message,
    severity: SEVERITIES[d.severity],
    ...(d.source ? { source: d.source } : {}),
    ...(code !== undefined && code !== '' ? { code } : {}),
    range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
  };
}

/** The range a fix rewrites: see the top of this file. */
async function fixRange(document: vscode.TextDocument, ranges: readonly vscode.Range[]): Promise<vscode.Range> {
  const first = Math.min(...ranges.map((r) => r.start.line));
  const last = Math.max(...ranges.map((r) => r.end.line));
  const symbol = await enclosingSymbol(document, new vscode.Position(first, ranges.find((r) => r.start.line === first)?.start.character ?? 0));
  if (symbol && symbol.range.start.line <= first && symbol.range.end.line >= last) {
    const lines = symbol.range.end.line - symbol.range.start.line + 1;
    if (lines <= MAX_SYMBOL_LINES) return wholeLines(document, symbol.range.start.line, symbol.range.end.line);
  }
  return wholeLines(document, first, last);
}

/** What the prompt says about a diagnostic at `range`. */
function diagnosticInfo(d: FixDiagnosticArg, range: vscode.Range): DiagnosticInfo {
  return { message: d.message, severity: d.severity, source: d.source, code: d.code, line: range.start.line + 1 };
}

function isFixDiagnosticArg(value: unknown): value is FixDiagnosticArg {
  const d = value as FixDiagnosticArg | undefined;
  return typeof d === 'object' && d !== null && typeof d.message === 'string' && Array.isArray(d.range);
}

export async function fixWithHunyuan(deps: ProposeDeps, args?: FixArgs): Promise<ProposalOutcome | undefined> {
  const document = await targetDocument(args?.uri, vscode.l10n.t('Open a file with a problem to fix first.'));
  if (!document) return undefined;

  let diagnostics: { info: DiagnosticInfo; range: vscode.Range }[] = [];
  if (args?.diagnostics !== undefined) {
    for (const d of Array.isArray(args.diagnostics) ? args.diagnostics : []) {
      const range = isFixDiagnosticArg(d) ? rangeFromTuple(document, d.range) : undefined;
      if (!range) continue;
      diagnostics.push({ info: diagnosticInfo(d, range), range });
    }
  } else {
    // Without arguments: the problems on the selection, or on the cursor's line.
    const selection = editorFor(document)?.selection;
    const lines = selection ? wholeLines(document, selection.start.line, selection.end.line) : undefined;
    diagnostics = vscode.languages
      .getDiagnostics(document.uri)
      .filter((d) => lines?.intersection(d.range))
      .map((d) => ({ info: diagnosticInfo(diagnosticArg(d), d.range), range: d.range }));
  }
  if (!diagnostics.length) {
    void ui.info(
      vscode.l10n.t('There is no problem here to fix. Put the cursor on a squiggle, or use Edit with Hunyuan to describe the change.'),
    );
    return undefined;
  }

  const range = await fixRange(document, diagnostics.map((d) => d.range));
  const input = rangePromptInput(document, range);
  const { code, before, after } = input;
  const infos = diagnostics.map((d) => d.info);
  const prompt = fixDiagnosticPrompt({ diagnostics: infos, instruction: args?.instruction, ...input });
  // Retry: the same problems, on the lines the range has moved to since (lines added above it)
  const retryArgs = (now: vscode.Range): FixArgs => {
    const by = now.start.line - range.start.line;
    return {
      uri: document.uri.toString(),
      diagnostics: diagnostics.map((d) => ({ ...d.info, range: [d.range.start.line + by, d.range.start.character, d.range.end.line + by, d.range.end.character] })),
      instruction: args?.instruction,
    };
  };
  const title = infos.length === 1
    ? vscode.l10n.t('Fix: {0}', shorten(infos[0].message))
    : vscode.l10n.t('Fix {0} problems', String(infos.length));
  return proposeEdit(
    deps,
    {
      purpose: 'fix',
      title,
      document,
      range,
      prompt,
      clean: { languageId: document.languageId, eol: eolOf(document), original: code, contextBefore: before, contextAfter: after },
    },
    (now) => fixWithHunyuan(deps, retryArgs(now)),
  );
}
