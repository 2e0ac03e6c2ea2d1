/**
 * The chat view's strings, localized here because the webview has no `vscode.l10n`. One literal
 * `vscode.l10n.t` call per key (the l10n manifest test reads them), English text equal to the
 * default in src/common/chat/strings.ts (a unit test checks that). `{0}`… stay in the text: the
 * webview fills them with `fmt`.
 */
import * as vscode from 'vscode';
import type { ChatStringKey } from '../../common/chat/strings';
import type { ChatStrings } from '../../common/chat/protocol';

export function chatStrings(): ChatStrings {
  const strings: Record<ChatStringKey, string> = {
    // header and conversation menu
    newChat: vscode.l10n.t('New Chat'),
    chatHistory: vscode.l10n.t('Chat History'),
    recentChats: vscode.l10n.t('Recent Chats'),
    renameChat: vscode.l10n.t('Rename…'),
    deleteChat: vscode.l10n.t('Delete'),
    exportChat: vscode.l10n.t('Export as Markdown'),
    messageCount: vscode.l10n.t('{0} messages'),
    tokenCount: vscode.l10n.t('{0} tokens'),
    totalsTitle: vscode.l10n.t('This chat so far: {0} prompt + {1} completion tokens, {2}'),
    estimatedNote: vscode.l10n.t('Estimated: the gateway did not report usage.'),

    // empty state and API key banner
    emptyTitle: vscode.l10n.t('Ask Hunyuan about your code'),
    emptyBody: vscode.l10n.t('Attach the active file or a selection, then ask a question.'),
    apiKeyMissing: vscode.l10n.t('Set your Hunyuan API key to start chatting.'),
    setApiKey: vscode.l10n.t('Set API Key'),

    // turns
    messagesLabel: vscode.l10n.t('Chat messages'),
    you: vscode.l10n.t('You'),
    hunyuan: vscode.l10n.t('Hunyuan'),
    edit: vscode.l10n.t('Edit'),
    editMessage: vscode.l10n.t('Edit message'),
    saveAndResend: vscode.l10n.t('Save & Resend'),
    cancel: vscode.l10n.t('Cancel'),
    thinking: vscode.l10n.t('Thinking'),
    thinkingLive: vscode.l10n.t('Thinking… {0} s'),
    thoughtFor: vscode.l10n.t('Thought for {0} s'),
    waiting: vscode.l10n.t('Waiting for Hunyuan…'),
    stopped: vscode.l10n.t('Stopped'),
    stoppedTitle: vscode.l10n.t('You stopped this answer. The partial answer is kept.'),
    regenerate: vscode.l10n.t('Regenerate'),
    retry: vscode.l10n.t('Retry'),
    openSettings: vscode.l10n.t('Open Settings'),
    showLog: vscode.l10n.t('Show Log'),
    usageTokens: vscode.l10n.t('{0} + {1} tokens'),
    usageTitle: vscode.l10n.t('Prompt {0} tokens, completion {1} tokens'),
    seconds: vscode.l10n.t('{0} s'),
    firstToken: vscode.l10n.t('first token {0} s'),
    latencyTitle: vscode.l10n.t('Answered in {0} s; the first token came after {1} s'),
    truncated: vscode.l10n.t('Cut off at the answer length limit (hunyuan.maxTokens).'),
    droppedTurns: vscode.l10n.t('The oldest {0} turns were left out to fit the context window.'),
    droppedTurn: vscode.l10n.t('The oldest turn was left out to fit the context window.'),

    // code blocks
    codeActions: vscode.l10n.t('Code actions'),
    copy: vscode.l10n.t('Copy'),
    copied: vscode.l10n.t('Copied'),
    insert: vscode.l10n.t('Insert at Cursor'),
    apply: vscode.l10n.t('Apply'),
    newFile: vscode.l10n.t('New File'),

    // input bar
    inputLabel: vscode.l10n.t('Message to Hunyuan'),
    inputPlaceholder: vscode.l10n.t('Ask Hunyuan… (Enter to send, Shift+Enter for a new line)'),
    send: vscode.l10n.t('Send'),
    sendTitle: vscode.l10n.t('Send (Enter)'),
    stop: vscode.l10n.t('Stop'),
    stopTitle: vscode.l10n.t('Stop (Escape)'),
    attachFile: vscode.l10n.t('Attach Active File'),
    attachedContext: vscode.l10n.t('Attached context'),
    removeChip: vscode.l10n.t('Remove {0}'),
    chipLines: vscode.l10n.t('lines {0}–{1}'),
    chipLine: vscode.l10n.t('line {0}'),
    wholeFile: vscode.l10n.t('whole file'),
    deepThinking: vscode.l10n.t('Deep Thinking'),
    thinkingSlowTitle: vscode.l10n.t('Slow thinking: Hunyuan reasons before it answers. Click for fast answers.'),
    thinkingFastTitle: vscode.l10n.t('Fast thinking: Hunyuan answers directly. Click to let it reason first.'),
    budget: vscode.l10n.t('≈{0} tokens · {1} left of {2}'),
    budgetTitle: vscode.l10n.t('Estimated prompt size, with the history and attached code. Room is kept for an answer of up to {0} tokens.'),
    overflow: vscode.l10n.t("The oldest {0} turns won't fit and will be left out."),
    overflowOne: vscode.l10n.t("The oldest turn won't fit and will be left out."),
    dropOldest: vscode.l10n.t('Drop Oldest {0} Turns'),
    dropOldestOne: vscode.l10n.t('Drop Oldest Turn'),
    tooLong: vscode.l10n.t('This message is too long for the context window.'),
    jumpToLatest: vscode.l10n.t('Jump to Latest'),

    // context: @-mentions, chips, the budget's breakdown, workspace-search snippets, file links
    mentionListLabel: vscode.l10n.t('Add context'),
    mentionNoMatches: vscode.l10n.t('No matches'),
    kindSelection: vscode.l10n.t('Selection'),
    kindFile: vscode.l10n.t('File'),
    kindFolder: vscode.l10n.t('Folder'),
    kindSymbol: vscode.l10n.t('Symbol'),
    kindEditors: vscode.l10n.t('Open editors'),
    kindProblems: vscode.l10n.t('Problems'),
    kindGit: vscode.l10n.t('Git changes'),
    kindTerminal: vscode.l10n.t('Terminal output'),
    kindRules: vscode.l10n.t('Project rules'),
    kindWorkspace: vscode.l10n.t('Workspace search'),
    rulesChip: vscode.l10n.t('Rules'),
    removeRules: vscode.l10n.t('Remove Rules for this message'),
    rulesTitle: vscode.l10n.t('Project rules ({0}), sent with every message. Removing them leaves them out of this message only; the hunyuan.context.projectRules setting turns them off.'),
    workspaceTitle: vscode.l10n.t('Searches the workspace when you send, and adds the best snippets that fit.'),
    chipTrimmed: vscode.l10n.t('✂ trimmed'),
    chipTrimmedTitle: vscode.l10n.t('Trimmed to fit the context window: {0} left out.'),
    budgetCost: vscode.l10n.t('≈{0} + {1} answer'),
    budgetDetails: vscode.l10n.t('What will be sent'),
    budgetSystem: vscode.l10n.t('System prompt'),
    budgetRules: vscode.l10n.t('Project rules'),
    budgetHistory: vscode.l10n.t('History'),
    budgetSearch: vscode.l10n.t('Workspace search, up to'),
    budgetDraft: vscode.l10n.t('Your message'),
    budgetPrompt: vscode.l10n.t('Prompt'),
    budgetAnswer: vscode.l10n.t('Room for the answer'),
    budgetLeft: vscode.l10n.t('Left in the {0}-token window'),
    budgetPromptCost: vscode.l10n.t('Prompt cost'),
    budgetAnswerCost: vscode.l10n.t('A typical answer in this thinking mode'),
    snippetsUsed: vscode.l10n.t('Used {0} snippets from {1} files'),
    snippetsUsedOneFile: vscode.l10n.t('Used {0} snippets from 1 file'),
    snippetUsedOne: vscode.l10n.t('Used 1 snippet from 1 file'),
    snippetsLabel: vscode.l10n.t('Snippets sent with this message'),
    openLocation: vscode.l10n.t('Open {0} at line {1}'),
    openFile: vscode.l10n.t('Open {0}'),
  };
  return strings;
}
