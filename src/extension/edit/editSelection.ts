/**
 * "Hunyuan: Edit with Hunyuan": asks what to change, sends the selection with the code around it,
 * and proposes Hunyuan's rewrite of exactly that range as an inline diff. With nothing selected it
 * works on the function or class around the cursor (when the language reports symbols), else on
 * the cursor's line.
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import { editSelectionPrompt } from '../../core/edit/prompts';
import { enclosingSymbol } from './explain';
import { documentLabel, eolOf, trackRange } from '../documents';
import { editorFor, editRange, rangeFromTuple, shorten, lastLine, rangePromptInput, targetDocument, wholeLines, type RangeTuple } from './editorTarget';
import { proposeEdit, type ProposalOutcome, type ProposeDeps } from './proposeEdit';

/** Arguments, for tests and code actions: skip the input box, name the document and the range. */
export interface EditSelectionArgs {
  instruction?: string;
  uri?: string;
  /** `[startLine, startCharacter, endLine, endCharacter]`, 0-based. */
  range?: RangeTuple;
}

/** The instructions given this session, newest first: the last one is offered again. */
const recentInstructions: string[] = [];
const MAX_RECENT = 20;

function remember(instruction: string): void {
  const i = recentInstructions.indexOf(instruction);
  if (i >= 0) recentInstructions.splice(i, 1);
  recentInstructions.unshift(instruction);
  recentInstructions.length = Math.min(recentInstructions.length, MAX_RECENT);
}

/** What to edit when nothing is selected: the function or class around the cursor, else its line (whole lines). */
async function defaultRange(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Range> {
  const symbol = await enclosingSymbol(document, position);
  if (symbol) return wholeLines(document, symbol.range.start.line, symbol.range.end.line);
  return wholeLines(document, position.line, position.line);
}

/** Asks for the instruction; undefined when the user escapes or enters nothing. */
async function askInstruction(document: vscode.TextDocument, range: vscode.Range): Promise<string | undefined> {
  const last = recentInstructions[0] ?? '';
  const end = lastLine(range);
  const lines = range.start.line === end
    ? vscode.l10n.t('line {0}', String(range.start.line + 1))
    : vscode.l10n.t('lines {0}-{1}', String(range.start.line + 1), String(end + 1));
  const value = await ui.input({
    title: vscode.l10n.t('Edit with Hunyuan'),
    prompt: vscode.l10n.t('How should Hunyuan change {0} of {1}? Nothing changes until you accept the proposal.', lines, documentLabel(document)),
    placeHolder: vscode.l10n.t('e.g. "make it async", "add error handling", "use a Map instead of an object"'),
    value: last,
    valueSelection: [0, last.length],
    ignoreFocusOut: true,
  });
  const instruction = value?.trim();
  return instruction ? instruction : undefined;
}

export async function editSelection(deps: ProposeDeps, args?: EditSelectionArgs): Promise<ProposalOutcome | undefined> {
  const document = await targetDocument(args?.uri, vscode.l10n.t('Open a file and select the code to edit first.'));
  if (!document) return undefined;

  let range: vscode.Range | undefined;
  if (args?.range !== undefined) {
    range = rangeFromTuple(document, args.range);
    if (!range) {
      void ui.error(vscode.l10n.t('Edit with Hunyuan: the range must be [startLine, startCharacter, endLine, endCharacter].'));
      return undefined;
    }
  } else {
    const selection = editorFor(document)?.selection;
    if (selection && !selection.isEmpty) range = selection;
    else range = await defaultRange(document, selection?.active ?? new vscode.Position(0, 0));
  }
  range = editRange(document, range);

  let instruction = args?.instruction?.trim();
  if (!instruction) {
    // The box stays open when the focus leaves it: the document may change meanwhile. The range
    // follows changes above it; a change inside it means the code to edit is not what was selected.
    const asked = trackRange(document, range);
    try {
      instruction = await askInstruction(document, range);
    } finally {
      asked.dispose();
    }
    if (!instruction) return undefined;
    const moved = asked.current();
    if (!moved) {
      void ui.warn(vscode.l10n.t('The selected code was edited while you wrote the instruction. Select it again and run Edit Selection with Instruction again.'));
      return undefined;
    }
    range = moved;
  }
  remember(instruction);

  const input = rangePromptInput(document, range);
  const { code, before, after } = input;
  const prompt = editSelectionPrompt({ instruction, ...input });
  const target = range;
  return proposeEdit(
    deps,
    {
      purpose: 'edit',
      title: vscode.l10n.t('Edit: {0}', shorten(instruction)),
      document,
      range: target,
      prompt,
      clean: {
        languageId: document.languageId,
        eol: eolOf(document),
        original: code,
        // A range starting after code on its line has no indentation of its own to keep.
        originalIndent: target.start.character > 0 ? '' : undefined,
        contextBefore: before,
        contextAfter: after,
      },
    },
    (now) => editSelection(deps, {
      instruction,
      uri: document.uri.toString(),
      range: [now.start.line, now.start.character, now.end.line, now.end.character],
    }),
  );
}
