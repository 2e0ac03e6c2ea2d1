/**
 * `@hunyuan` in VS Code's Chat view (chat participants are stable since VS Code 1.90), with
 * `/explain`, `/fix`, `/tests` and `/doc`, and follow-ups.
 *
 * - **Context.** The request's references (`#file` as a Uri, a selection as a Location, a folder
 *   as a Uri too: its files listed with the contents that fit, as the chat's @-mention makes it;
 *   other values, such as problems or terminal output VS Code passes as strings, as text) are read
 *   and sent with their path, lines and language. With none, the active
 *   editor's selection is used (or, with nothing selected, the function around the cursor); for a
 *   follow-up without any, the references of the last request in the history.
 * - **History.** `context.history` (this participant's turns) goes back as messages: the questions
 *   and the clean answers (kept in the result's metadata, so the usage line and buttons are never
 *   sent back, and neither is the thinking).
 * - **Thinking.** VS Code's chat Markdown renders no `<details>` (its sanitizer allows neither
 *   `details` nor `summary`, see `allowedChatMarkdownHtmlTags` in VS Code's chat renderer), and
 *   the thinking part is still a proposed API. So while the model thinks, a progress message
 *   ("Thinking…", which VS Code hides as soon as the answer starts) is shown, and the thinking
 *   itself stays folded behind a **Show Thinking** button that opens it as a read-only Markdown
 *   document. It is never answer text.
 * - **Cost.** The answer ends with its tokens (≈ when estimated) and cost in yuan.
 * - **Proposals.** `/fix` and `/doc` on a target (a selection, the function at the cursor, or a
 *   file of at most `MAX_TARGET_LINES` lines) ask for the target rewritten in one code block; the
 *   block, cleaned as the editor commands clean theirs, is offered with **Review in Editor**, which
 *   opens it as our inline diff over the target's lines. Nothing is written until accepted there.
 * - **Errors** end the response with our message (`describeError`) as the result's error, with
 *   the buttons that fix it (Set API Key, Open Settings, Show Log). Cancelling aborts the request.
 */
import * as vscode from 'vscode';
import { ui } from '../ui';
import type { ContextChip } from '../../common/chat/model';
import { formatYuan } from '../../common/format';
import { analyzeCodeAnswer } from '../../core/edit/clean';
import type { DiagnosticInfo } from '../../core/edit/prompts';
import type { TurnResult } from '../../core/engine/engine';
import {
  closingFence, participantHistory, participantPrompt, isParticipantCommand, type HistoryTurn, type ParticipantCommand, type TargetCode,
} from '../../core/participant/prompts';
import { detectTestFramework, TEST_CONFIG_FILES, type ProjectFile, type TestFramework } from '../../core/participant/testFramework';
import { COMMANDS } from '../commands/ids';
import type { InlineDiff, InlineDiffs } from '../diff/inlineDiff';
import { documentLabel, eolOf } from '../documents';
import { diagnosticArg } from '../edit/fix';
import { enclosingSymbol } from '../edit/explain';
import { lastLine, rangeFromTuple, surroundingCode, type RangeTuple } from '../edit/editorTarget';
import { describeError, actionLabel, type ErrorAction } from '../hunyuan/errorMessages';
import type { HunyuanService } from '../hunyuan/service';
import type { Logger } from '../log/logger';
import { folderChipOf } from '../mentions/mentions';
import { Owner } from '../disposables';
import { rulesSystemSection } from '../../core/context/rules';
import { readSettings } from '../settings/configuration';

export const PARTICIPANT_ID = 'hunyuan-coder.hunyuan';
/** The buttons' commands (not in the palette: they need their arguments). */
export const PARTICIPANT_COMMANDS = {
  reviewProposal: 'hunyuan.participant.reviewProposal',
  showThinking: 'hunyuan.participant.showThinking',
} as const;

/** A file reference longer than this is sent cut to it, with a note. */
export const MAX_REFERENCE_CHARS = 60000;
/** The most tokens a `#folder` reference's chip takes (its listing and the contents that fit). */
export const MAX_FOLDER_TOKENS = 8000;
/** A whole file is a `/fix` or `/doc` target only up to this many lines. */
export const MAX_TARGET_LINES = 300;

/** What the handler returns: VS Code keeps `metadata` with the turn (and hands it to the follow-ups). */
export interface ParticipantResult extends vscode.ChatResult {
  readonly metadata: {
    readonly command?: string;
    /** The answer as the model wrote it: what the history sends back. */
    readonly answer: string;
    readonly status: TurnResult['status'];
    /** Whether a proposal was offered. */
    readonly proposed?: boolean;
  };
}

/** The arguments of Review in Editor (plain JSON: they are kept with the chat). */
export interface ProposalArgs {
  uri: string;
  range: RangeTuple;
  /** The target's text when asked: the proposal is placed where this text still is. */
  original: string;
  code: string;
  title: string;
}

interface ResolvedReferences {
  chips: ContextChip[];
  notes: string[];
  /** Selections and ranges, in the order the user attached them (a target candidate each). */
  locations: { document: vscode.TextDocument; range: vscode.Range; implicitView: boolean }[];
  /** Whole files attached. */
  files: vscode.TextDocument[];
}

interface Target {
  document: vscode.TextDocument;
  range: vscode.Range;
  code: TargetCode;
}

const isUri = (v: unknown): v is vscode.Uri => v instanceof vscode.Uri;
const isLocation = (v: unknown): v is vscode.Location =>
  v instanceof vscode.Location || (typeof v === 'object' && v !== null && isUri((v as vscode.Location).uri) && (v as vscode.Location).range instanceof vscode.Range);

let chipCounter = 0;

/** Whether `uri` is a folder (a `#folder` reference); false when it cannot be told. */
async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}

function chipOf(document: vscode.TextDocument, range: vscode.Range | undefined): ContextChip {
  const whole = range === undefined;
  const start = whole ? 0 : range.start.line;
  const end = whole ? document.lineCount - 1 : lastLine(range);
  let text = whole ? document.getText() : document.getText(new vscode.Range(start, 0, end, document.lineAt(end).text.length));
  let label = documentLabel(document);
  if (text.length > MAX_REFERENCE_CHARS) {
    text = text.slice(0, MAX_REFERENCE_CHARS);
    label = `${label} (first ${MAX_REFERENCE_CHARS} characters)`;
  }
  return {
    id: `participant-${chipCounter++}`, kind: whole ? 'file' : 'selection', uri: document.uri.toString(), label,
    languageId: document.languageId, startLine: start + 1, endLine: end + 1, text,
  };
}

/** Whole lines `range` covers. */
function wholeLinesOf(document: vscode.TextDocument, range: vscode.Range): vscode.Range {
  const end = lastLine(range);
  return new vscode.Range(range.start.line, 0, end, document.lineAt(end).text.length);
}

/** Request and response turns are told apart by shape: their classes cannot be built outside VS Code (tests build plain objects). */
function isRequestTurn(turn: unknown): turn is vscode.ChatRequestTurn {
  return typeof turn === 'object' && turn !== null && typeof (turn as vscode.ChatRequestTurn).prompt === 'string';
}
function isResponseTurn(turn: unknown): turn is vscode.ChatResponseTurn {
  return typeof turn === 'object' && turn !== null && Array.isArray((turn as vscode.ChatResponseTurn).response);
}

/** The text of a response in the history: the clean answer we kept, else its Markdown parts. */
function responseText(turn: vscode.ChatResponseTurn): string {
  const answer = (turn.result?.metadata as ParticipantResult['metadata'] | undefined)?.answer;
  if (typeof answer === 'string') return answer;
  return turn.response
    .map((part) => {
      const value = (part as vscode.ChatResponseMarkdownPart).value;
      return value instanceof vscode.MarkdownString ? value.value : typeof (value as { value?: unknown })?.value === 'string' ? (value as { value: string }).value : '';
    })
    .join('');
}

function referenceLabel(ref: vscode.ChatPromptReference): string | undefined {
  const v = ref.value;
  if (isLocation(v)) return `${vscode.workspace.asRelativePath(v.uri)}:${v.range.start.line + 1}-${lastLine(v.range) + 1}`;
  if (isUri(v)) return vscode.workspace.asRelativePath(v);
  return undefined;
}

export class HunyuanParticipant extends Owner {
  private readonly answered = this.own(new vscode.EventEmitter<{ request: vscode.ChatRequest; result: ParticipantResult }>());
  /** Fires when a request has been answered (or failed, or was stopped), with what the handler returned. */
  readonly onDidAnswer = this.answered.event;
  /** The VS Code participant, when this VS Code has chat participants (undefined in editors without `vscode.chat`). */
  readonly participant: vscode.ChatParticipant | undefined;

  constructor(
    private readonly service: HunyuanService,
    private readonly diffs: InlineDiffs,
    private readonly log: Logger,
    extensionUri: vscode.Uri,
    /** The project rules (AGENTS.md, ...), sent in the system prompt as the chat sends them. */
    private readonly rules?: { current(): Promise<ContextChip | undefined> },
  ) {
    super();
    this.own(vscode.commands.registerCommand(PARTICIPANT_COMMANDS.reviewProposal, (args: ProposalArgs) => this.reviewProposal(args)));
    this.own(vscode.commands.registerCommand(PARTICIPANT_COMMANDS.showThinking, (args: { thinking?: unknown }) => this.showThinking(args)));
    const chat = (vscode as { chat?: typeof vscode.chat }).chat;
    if (typeof chat?.createChatParticipant === 'function') {
      try {
        const participant = chat.createChatParticipant(PARTICIPANT_ID, (request, context, stream, token) => this.handle(request, context, stream, token));
        participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
        participant.followupProvider = { provideFollowups: (result) => this.followups(result as ParticipantResult) };
        this.participant = this.own(participant);
      } catch (err) {
        log.warn(`@hunyuan: this editor refused the chat participant (${err instanceof Error ? err.message : String(err)})`);
      }
    } else {
      log.info('@hunyuan: this editor has no chat participants API (vscode.chat); the participant is not registered');
    }
  }

  /** The request handler VS Code calls for `@hunyuan …` (also what the host tests call). */
  async handle(
    request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken,
  ): Promise<ParticipantResult> {
    const command = isParticipantCommand(request.command) ? request.command : undefined;
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    try {
      let resolved = await this.resolveReferences(request.references);
      if (!resolved.chips.length && !resolved.notes.length && !resolved.locations.length) {
        resolved = await this.fallbackReferences(context, command);
      }
      const target = command === 'fix' || command === 'doc' ? await this.findTarget(resolved) : undefined;
      // the target is sent as such: not again as an attachment
      const chips = target ? resolved.chips.filter((c) => c.uri !== target.document.uri.toString()) : resolved.chips;
      const testFramework = command === 'tests' ? await this.testFramework(target?.document ?? resolved.locations[0]?.document ?? resolved.files[0]) : undefined;
      for (const r of resolved.locations) stream.reference(new vscode.Location(r.document.uri, r.range));
      for (const f of resolved.files) stream.reference(f.uri);
      if (testFramework) {
        stream.progress(testFramework.detected
          ? vscode.l10n.t('Writing tests with {0} (found in {1})…', testFramework.name, testFramework.evidence ?? '?')
          : vscode.l10n.t('No test framework found in the project: writing tests with {0}…', testFramework.name));
      }

      const prompt = participantPrompt({
        command, prompt: request.prompt, references: chips,
        notes: resolved.notes, target: target?.code, displayLanguage: vscode.env.language, testFramework,
      });
      const history = participantHistory(this.historyTurns(context));
      const rules = await this.rules?.current().catch(() => undefined);
      if (rules?.uri) stream.reference(vscode.Uri.parse(rules.uri));
      const system = rules?.text ? `${prompt.system}\n\n${rulesSystemSection(rules.text)}` : prompt.system;

      let thinkingShown = false;
      let answered = false;
      const turn = await this.service.run(
        { purpose: command ? `participant /${command}` : 'participant', system, history, user: prompt.user, signal: abort.signal },
        {
          onThinking: () => {
            if (thinkingShown || answered) return;
            thinkingShown = true;
            stream.progress(vscode.l10n.t('Thinking…'));
          },
          onAnswer: (text) => {
            answered = true;
            stream.markdown(text);
          },
        },
      );
      const result = this.finish(turn, { command, stream, target, proposes: prompt.proposesTarget });
      this.answered.fire({ request, result });
      return result;
    } finally {
      cancel.dispose();
    }
  }

  /** Ends the response: a closed code block, the proposal, the thinking, the usage line, or the error. */
  private finish(
    turn: TurnResult,
    o: { command: ParticipantCommand | undefined; stream: vscode.ChatResponseStream; target: Target | undefined; proposes: boolean },
  ): ParticipantResult {
    const { stream } = o;
    const metadata = { command: o.command, answer: turn.answer, status: turn.status };
    const close = closingFence(turn.answer);
    if (close) stream.markdown(close);

    // Markdown first, buttons last: VS Code 1.139 folds Markdown that other parts follow into its
    // collapsed "steps", so the answer and the usage line must be the response's last Markdown.
    const offer = turn.status === 'done' && o.proposes && o.target ? this.proposal(turn, o.target, o.command) : undefined;
    if (offer?.note) stream.markdown(`\n\n${offer.note}\n`);
    if (turn.usage) {
      const { promptTokens, completionTokens, estimated } = turn.usage;
      const tokens = vscode.l10n.t('{0} + {1} tokens', `${estimated ? '≈' : ''}${promptTokens}`, String(completionTokens));
      stream.markdown(`\n\n*${tokens} · ${formatYuan(turn.costYuan ?? 0)}*\n`);
    }
    const proposed = !!offer?.button;
    if (offer?.button) stream.button(offer.button);
    if (turn.thinking.trim()) {
      const seconds = turn.thinkingStartedAt && turn.thinkingEndedAt ? Math.max(1, Math.round((turn.thinkingEndedAt - turn.thinkingStartedAt) / 1000)) : undefined;
      stream.button({
        command: PARTICIPANT_COMMANDS.showThinking,
        title: seconds ? vscode.l10n.t('Show Thinking ({0} s)', String(seconds)) : vscode.l10n.t('Show Thinking'),
        arguments: [{ thinking: turn.thinking }],
      });
    }

    if (turn.status === 'error' && turn.error) {
      const { settings } = readSettings();
      const { message, actions } = describeError(turn.error, { baseUrl: settings.baseUrl, model: settings.model, timeoutSeconds: settings.requestTimeoutSeconds });
      for (const action of actions) {
        const id = ERROR_COMMANDS[action];
        if (id) stream.button({ command: id, title: actionLabel(action) });
      }
      return { errorDetails: { message }, metadata: { ...metadata, proposed } };
    }
    return { metadata: { ...metadata, proposed } };
  }

  /** Review in Editor for the answer's code, when there is code that changes the target; else maybe a note why not. */
  private proposal(turn: TurnResult, target: Target, command: ParticipantCommand | undefined): { button?: vscode.Command; note?: string } | undefined {
    const { document, range, code: t } = target;
    const original = document.getText(range);
    const cutShort = turn.finishReason === undefined || turn.finishReason === 'length' || turn.stopSequence !== undefined;
    const result = analyzeCodeAnswer(turn.answer, { languageId: document.languageId, eol: eolOf(document), original, contextBefore: t.before, contextAfter: t.after });
    if (result.source === 'none') return undefined;
    if (cutShort || result.unclosedFence) {
      return { note: vscode.l10n.t('The answer stopped early, so its code is not offered as a change. Ask again, or select less code.') };
    }
    if (result.code === original) return { note: vscode.l10n.t('Hunyuan proposed no changes.') };
    const title = command === 'doc' ? vscode.l10n.t('Doc comments: {0}', t.chip.label) : vscode.l10n.t('Fix: {0}', t.chip.label);
    const args: ProposalArgs = {
      uri: document.uri.toString(),
      range: [range.start.line, range.start.character, range.end.line, range.end.character],
      original, code: result.code, title,
    };
    return { button: { command: PARTICIPANT_COMMANDS.reviewProposal, title: vscode.l10n.t('Review in Editor'), arguments: [args] } };
  }

  /** Review in Editor: the proposal as an inline diff over the target (found again if the file changed since). */
  async reviewProposal(args: ProposalArgs): Promise<InlineDiff | undefined> {
    if (typeof args?.uri !== 'string' || typeof args.code !== 'string' || typeof args.original !== 'string') return undefined;
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri, true));
    } catch (err) {
      void ui.error(vscode.l10n.t('Cannot open {0}: {1}', args.uri, err instanceof Error ? err.message : String(err)));
      return undefined;
    }
    let range = rangeFromTuple(document, args.range);
    if (!range || document.getText(range) !== args.original) {
      const text = document.getText();
      const at = args.original ? text.indexOf(args.original) : -1;
      range = at >= 0 && text.indexOf(args.original, at + 1) < 0
        ? new vscode.Range(document.positionAt(at), document.positionAt(at + args.original.length))
        : undefined;
    }
    if (!range) {
      void ui.warn(vscode.l10n.t('The code this answer was about has changed since, so the proposal cannot be placed. Ask again.'));
      return undefined;
    }
    await vscode.window.showTextDocument(document, { preview: false, selection: new vscode.Range(range.start, range.start) });
    const diff = this.diffs.open(document, range, { title: args.title, text: args.code });
    if (!diff.hunks.length) {
      diff.dispose();
      void ui.info(vscode.l10n.t('Hunyuan proposed no changes.'));
      return undefined;
    }
    this.log.info(`participant: proposal opened as an inline diff with ${diff.hunks.length} hunk(s)`);
    return diff;
  }

  /** Show Thinking: the thinking as a read-only Markdown document. */
  async showThinking(args: { thinking?: unknown }): Promise<vscode.TextEditor | undefined> {
    if (typeof args?.thinking !== 'string') return undefined;
    const uri = this.diffs.documents.add(vscode.l10n.t('Thinking.md'), args.thinking);
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'markdown');
    return vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  /** Suggestions after an answer, by what was asked. */
  followups(result: ParticipantResult | undefined): vscode.ChatFollowup[] {
    const meta = result?.metadata;
    if (!meta || meta.status !== 'done' || result?.errorDetails) return [];
    switch (meta.command) {
      case 'explain':
        return [
          { prompt: vscode.l10n.t('Write unit tests for this code'), command: 'tests' },
          { prompt: vscode.l10n.t('Add doc comments to this code'), command: 'doc' },
        ];
      case 'fix':
        return [
          { prompt: vscode.l10n.t('Write a test that would have caught this bug'), command: 'tests' },
          { prompt: vscode.l10n.t('Explain the fix step by step') },
        ];
      case 'tests':
        return [{ prompt: vscode.l10n.t('Add tests for more edge cases and error cases'), command: 'tests' }];
      case 'doc':
        return [{ prompt: vscode.l10n.t('Explain this code'), command: 'explain' }];
      default:
        return [
          { prompt: vscode.l10n.t('Explain this code'), command: 'explain' },
          { prompt: vscode.l10n.t('Find and fix the bugs in this code'), command: 'fix' },
        ];
    }
  }

  private historyTurns(context: vscode.ChatContext): HistoryTurn[] {
    const turns: HistoryTurn[] = [];
    for (const turn of context.history ?? []) {
      if (isRequestTurn(turn)) {
        const attached = (turn.references ?? []).map(referenceLabel).filter((l): l is string => !!l);
        const text = `${turn.command ? `/${turn.command} ` : ''}${turn.prompt}${attached.length ? `\n(attached: ${attached.join(', ')})` : ''}`;
        turns.push({ role: 'user', text });
      } else if (isResponseTurn(turn)) {
        turns.push({ role: 'assistant', text: responseText(turn) });
      }
    }
    return turns;
  }

  private async resolveReferences(references: readonly vscode.ChatPromptReference[]): Promise<ResolvedReferences> {
    const out: ResolvedReferences = { chips: [], notes: [], locations: [], files: [] };
    // VS Code lists them last-in-prompt first: restore the user's order
    for (const ref of [...(references ?? [])].reverse()) {
      const v = ref.value;
      try {
        if (isLocation(v)) {
          const document = await vscode.workspace.openTextDocument(v.uri);
          const range = document.validateRange(v.range);
          const implicitView = /viewport|visible/i.test(ref.id);
          out.locations.push({ document, range, implicitView });
          out.chips.push(chipOf(document, range.isEmpty ? undefined : range));
        } else if (isUri(v) && (await isFolder(v))) {
          // `#folder`: its files listed, and the contents of those that fit (as the chat's @-mention)
          out.chips.push(await folderChipOf(v, MAX_FOLDER_TOKENS));
        } else if (isUri(v)) {
          const document = await vscode.workspace.openTextDocument(v);
          out.files.push(document);
          out.chips.push(chipOf(document, undefined));
        } else if (typeof v === 'string') {
          out.notes.push(`${ref.modelDescription ?? ref.id}: ${v}`);
        }
      } catch (err) {
        // a folder, a binary or a deleted file: say so rather than fail the request
        out.notes.push(`${referenceLabel(ref) ?? ref.id}: could not be read (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    return out;
  }

  /** Without references: the active editor's selection (or the function at the cursor), else the last request's references. */
  private async fallbackReferences(context: vscode.ChatContext, command: ParticipantCommand | undefined): Promise<ResolvedReferences> {
    const out: ResolvedReferences = { chips: [], notes: [], locations: [], files: [] };
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.uri.scheme !== 'output') {
      const { document, selection } = editor;
      let range: vscode.Range | undefined = selection.isEmpty ? undefined : wholeLinesOf(document, selection);
      if (!range && command) {
        const symbol = await enclosingSymbol(document, selection.active);
        if (symbol) range = wholeLinesOf(document, symbol.range);
      }
      if (range) {
        out.locations.push({ document, range, implicitView: false });
        out.chips.push(chipOf(document, range));
        return out;
      }
    }
    const previous = [...(context.history ?? [])].reverse().find((t): t is vscode.ChatRequestTurn => isRequestTurn(t) && (t.references ?? []).length > 0);
    if (previous) return this.resolveReferences(previous.references);
    if (editor && command && editor.document.uri.scheme !== 'output') {
      out.files.push(editor.document);
      out.chips.push(chipOf(editor.document, undefined));
    }
    return out;
  }

  /** What `/fix` and `/doc` rewrite: the first selection attached, else a small attached file. */
  private async findTarget(resolved: ResolvedReferences): Promise<Target | undefined> {
    let document: vscode.TextDocument | undefined;
    let range: vscode.Range | undefined;
    const location = resolved.locations.find((l) => !l.implicitView && !l.range.isEmpty);
    if (location) {
      document = location.document;
      range = wholeLinesOf(location.document, location.range);
    } else {
      const file = resolved.files.find((f) => f.lineCount <= MAX_TARGET_LINES) ?? resolved.locations.find((l) => l.document.lineCount <= MAX_TARGET_LINES)?.document;
      if (file) {
        document = file;
        range = new vscode.Range(0, 0, file.lineCount - 1, file.lineAt(file.lineCount - 1).text.length);
      }
    }
    if (!document || !range) return undefined;
    const whole = range.start.line === 0 && range.end.line === document.lineCount - 1;
    const { before, after } = whole ? { before: '', after: '' } : surroundingCode(document, range);
    const diagnostics: DiagnosticInfo[] = vscode.languages
      .getDiagnostics(document.uri)
      .filter((d) => range.intersection(d.range))
      .map((d) => {
        const arg = diagnosticArg(d);
        return { message: arg.message, severity: arg.severity, source: arg.source, code: arg.code, line: d.range.start.line + 1 };
      });
    const chip = chipOf(document, whole ? undefined : range);
    return { document, range, code: { chip: { ...chip, kind: 'selection' }, before, after, diagnostics } };
  }

  /** The test framework of the project around `document`: its config files from its folder up to the workspace folder. */
  private async testFramework(document: vscode.TextDocument | undefined): Promise<TestFramework | undefined> {
    const languageId = document?.languageId ?? vscode.window.activeTextEditor?.document.languageId;
    if (!languageId) return undefined;
    const files: ProjectFile[] = [];
    const folder = document ? vscode.workspace.getWorkspaceFolder(document.uri) : vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      const dirs: vscode.Uri[] = [];
      if (document && document.uri.path.startsWith(folder.uri.path)) {
        let dir = vscode.Uri.joinPath(document.uri, '..');
        while (dir.path.length >= folder.uri.path.length && dir.path.startsWith(folder.uri.path)) {
          dirs.push(dir);
          if (dir.path === folder.uri.path) break;
          dir = vscode.Uri.joinPath(dir, '..');
        }
      }
      if (!dirs.some((d) => d.path === folder.uri.path)) dirs.push(folder.uri);
      for (const dir of dirs) {
        for (const name of TEST_CONFIG_FILES) {
          if (files.some((f) => f.path.endsWith(`/${name}`))) continue; // the nearest one counts
          try {
            const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, name));
            files.push({ path: vscode.Uri.joinPath(dir, name).path, content: new TextDecoder().decode(bytes.slice(0, 200000)) });
          } catch {
            // not there
          }
        }
      }
    }
    return detectTestFramework(files, languageId);
  }

}

const ERROR_COMMANDS: Record<ErrorAction, string | undefined> = {
  setApiKey: COMMANDS.setApiKey,
  openSettings: COMMANDS.openSettings,
  showLog: COMMANDS.showLog,
  // Retry is VS Code's own (the chat's "retry" on the request)
  retry: undefined,
};
