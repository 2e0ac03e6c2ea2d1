/**
 * The language model provider API of VS Code 1.104+ (`vscode.lm.registerLanguageModelChatProvider`,
 * the `languageModelChatProviders` contribution), declared here because `@types/vscode` stays at
 * 1.90 (`engines.vscode` `^1.90.0`): the compiler keeps every other use of a newer API out, and
 * this one is reached only through `lmProviderApi()`, which checks that it exists at run time.
 * Only the parts we use are declared, as VS Code 1.104 finalized them.
 */
import * as vscode from 'vscode';

export interface LmChatInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}

/** `LanguageModelChatMessageRole`: User 1, Assistant 2 (System 3 is still proposed, but may come). */
export const LM_ROLE = { user: 1, assistant: 2, system: 3 } as const;

/** `LanguageModelChatToolMode`: Auto 1, Required 2. */
export const LM_TOOL_MODE = { auto: 1, required: 2 } as const;

export interface LmRequestMessage {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
  readonly name: string | undefined;
}

export interface LmChatTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: object | undefined;
}

export interface LmResponseOptions {
  readonly modelOptions?: { readonly [name: string]: unknown };
  readonly tools?: readonly LmChatTool[];
  readonly toolMode: number;
}

export interface LmChatProvider<T extends LmChatInformation = LmChatInformation> {
  readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(options: { readonly silent: boolean }, token: vscode.CancellationToken): vscode.ProviderResult<T[]>;
  provideLanguageModelChatResponse(
    model: T,
    messages: readonly LmRequestMessage[],
    options: LmResponseOptions,
    progress: vscode.Progress<unknown>,
    token: vscode.CancellationToken,
  ): Thenable<void>;
  provideTokenCount(model: T, text: string | LmRequestMessage, token: vscode.CancellationToken): Thenable<number>;
}

/** The part classes of the newer API (1.95+ for text, tool call and tool result parts). */
interface PartClasses {
  LanguageModelTextPart: new (value: string) => object;
  LanguageModelToolCallPart: new (callId: string, name: string, input: object) => object;
  LanguageModelToolResultPart?: abstract new (...args: never[]) => { callId: string; content: unknown[] };
  LanguageModelPromptTsxPart?: abstract new (...args: never[]) => { value: unknown };
  LanguageModelDataPart?: abstract new (...args: never[]) => { mimeType: string; data: Uint8Array };
  LanguageModelErrorCtor: new (message?: string, code?: string, cause?: Error) => vscode.LanguageModelError;
}

export interface LmProviderApi extends PartClasses {
  register(vendor: string, provider: LmChatProvider): vscode.Disposable;
}

/** The provider API of the running VS Code, or undefined before 1.104. */
export function lmProviderApi(): LmProviderApi | undefined {
  const lm = vscode.lm as unknown as { registerLanguageModelChatProvider?: (vendor: string, provider: LmChatProvider) => vscode.Disposable };
  const api = vscode as unknown as Partial<Omit<PartClasses, 'LanguageModelErrorCtor'>> & { LanguageModelError?: PartClasses['LanguageModelErrorCtor'] };
  if (typeof lm?.registerLanguageModelChatProvider !== 'function') return undefined;
  if (typeof api.LanguageModelTextPart !== 'function' || typeof api.LanguageModelToolCallPart !== 'function' || typeof api.LanguageModelError !== 'function') {
    return undefined;
  }
  const register = lm.registerLanguageModelChatProvider.bind(lm);
  return {
    register,
    LanguageModelTextPart: api.LanguageModelTextPart,
    LanguageModelToolCallPart: api.LanguageModelToolCallPart,
    LanguageModelToolResultPart: api.LanguageModelToolResultPart,
    LanguageModelPromptTsxPart: api.LanguageModelPromptTsxPart,
    LanguageModelDataPart: api.LanguageModelDataPart,
    LanguageModelErrorCtor: api.LanguageModelError,
  };
}
