/**
 * Every text the chat view shows, by key, with its English default. The extension localizes them
 * (src/extension/chat/webviewStrings.ts, one literal `vscode.l10n.t` per key) and sends them in the
 * snapshot; the webview falls back to these defaults for a key it does not get. Pure.
 *
 * `{0}`, `{1}`… are placeholders filled by `fmt`.
 */
export const CHAT_STRINGS = {
  // header and conversation menu
  newChat: 'New Chat',
  chatHistory: 'Chat History',
  recentChats: 'Recent Chats',
  renameChat: 'Rename…',
  deleteChat: 'Delete',
  exportChat: 'Export as Markdown',
  messageCount: '{0} messages',
  tokenCount: '{0} tokens',
  totalsTitle: 'This chat so far: {0} prompt + {1} completion tokens, {2}',
  estimatedNote: 'Estimated: the gateway did not report usage.',

  // empty state and API key banner
  emptyTitle: 'Ask Hunyuan about your code',
  emptyBody: 'Attach the active file or a selection, then ask a question.',
  apiKeyMissing: 'Set your Hunyuan API key to start chatting.',
  setApiKey: 'Set API Key',

  // turns
  messagesLabel: 'Chat messages',
  you: 'You',
  hunyuan: 'Hunyuan',
  edit: 'Edit',
  editMessage: 'Edit message',
  saveAndResend: 'Save & Resend',
  cancel: 'Cancel',
  thinking: 'Thinking',
  thinkingLive: 'Thinking… {0} s',
  thoughtFor: 'Thought for {0} s',
  waiting: 'Waiting for Hunyuan…',
  stopped: 'Stopped',
  stoppedTitle: 'You stopped this answer. The partial answer is kept.',
  regenerate: 'Regenerate',
  retry: 'Retry',
  openSettings: 'Open Settings',
  showLog: 'Show Log',
  usageTokens: '{0} + {1} tokens',
  usageTitle: 'Prompt {0} tokens, completion {1} tokens',
  seconds: '{0} s',
  firstToken: 'first token {0} s',
  latencyTitle: 'Answered in {0} s; the first token came after {1} s',
  truncated: 'Cut off at the answer length limit (hunyuan.maxTokens).',
  droppedTurns: 'The oldest {0} turns were left out to fit the context window.',
  droppedTurn: 'The oldest turn was left out to fit the context window.',

  // code blocks
  codeActions: 'Code actions',
  copy: 'Copy',
  copied: 'Copied',
  insert: 'Insert at Cursor',
  apply: 'Apply',
  newFile: 'New File',

  // input bar
  inputLabel: 'Message to Hunyuan',
  inputPlaceholder: 'Ask Hunyuan… (Enter to send, Shift+Enter for a new line)',
  send: 'Send',
  sendTitle: 'Send (Enter)',
  stop: 'Stop',
  stopTitle: 'Stop (Escape)',
  attachFile: 'Attach Active File',
  attachedContext: 'Attached context',
  removeChip: 'Remove {0}',
  chipLines: 'lines {0}–{1}',
  chipLine: 'line {0}',
  wholeFile: 'whole file',
  deepThinking: 'Deep Thinking',
  thinkingSlowTitle: 'Slow thinking: Hunyuan reasons before it answers. Click for fast answers.',
  thinkingFastTitle: 'Fast thinking: Hunyuan answers directly. Click to let it reason first.',
  budget: '≈{0} tokens · {1} left of {2}',
  budgetTitle: 'Estimated prompt size, with the history and attached code. Room is kept for an answer of up to {0} tokens.',
  overflow: 'The oldest {0} turns won\'t fit and will be left out.',
  overflowOne: 'The oldest turn won\'t fit and will be left out.',
  dropOldest: 'Drop Oldest {0} Turns',
  dropOldestOne: 'Drop Oldest Turn',
  tooLong: 'This message is too long for the context window.',
  jumpToLatest: 'Jump to Latest',

  // context: @-mentions, chips, the budget's breakdown, workspace-search snippets, file links
  mentionListLabel: 'Add context',
  mentionNoMatches: 'No matches',
  kindSelection: 'Selection',
  kindFile: 'File',
  kindFolder: 'Folder',
  kindSymbol: 'Symbol',
  kindEditors: 'Open editors',
  kindProblems: 'Problems',
  kindGit: 'Git changes',
  kindTerminal: 'Terminal output',
  kindRules: 'Project rules',
  kindWorkspace: 'Workspace search',
  rulesChip: 'Rules',
  removeRules: 'Remove Rules for this message',
  rulesTitle: 'Project rules ({0}), sent with every message. Removing them leaves them out of this message only; the hunyuan.context.projectRules setting turns them off.',
  workspaceTitle: 'Searches the workspace when you send, and adds the best snippets that fit.',
  chipTrimmed: '✂ trimmed',
  chipTrimmedTitle: 'Trimmed to fit the context window: {0} left out.',
  budgetCost: '≈{0} + {1} answer',
  budgetDetails: 'What will be sent',
  budgetSystem: 'System prompt',
  budgetRules: 'Project rules',
  budgetHistory: 'History',
  budgetSearch: 'Workspace search, up to',
  budgetDraft: 'Your message',
  budgetPrompt: 'Prompt',
  budgetAnswer: 'Room for the answer',
  budgetLeft: 'Left in the {0}-token window',
  budgetPromptCost: 'Prompt cost',
  budgetAnswerCost: 'A typical answer in this thinking mode',
  snippetsUsed: 'Used {0} snippets from {1} files',
  snippetsUsedOneFile: 'Used {0} snippets from 1 file',
  snippetUsedOne: 'Used 1 snippet from 1 file',
  snippetsLabel: 'Snippets sent with this message',
  openLocation: 'Open {0} at line {1}',
  openFile: 'Open {0}',
} as const;

export type ChatStringKey = keyof typeof CHAT_STRINGS;

/** Replaces `{0}`, `{1}`… with the arguments; a placeholder without an argument stays as it is. */
export function fmt(template: string, ...args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}

/** A lookup over the strings the extension sent, falling back to the English defaults. */
export function stringsWithDefaults(strings: Readonly<Record<string, string>> | undefined): (key: ChatStringKey, ...args: readonly (string | number)[]) => string {
  return (key, ...args) => {
    const s = strings?.[key];
    return fmt(typeof s === 'string' ? s : CHAT_STRINGS[key], ...args);
  };
}
