/**
 * VS Code's language model request (messages of parts, tools, tool mode) in the form the answer
 * engine sends (OpenAI chat messages, `tools`, `tool_choice`). No `vscode` import: the parts come
 * already sorted by kind (provider.ts knows VS Code's part classes), so this runs in unit tests.
 */
import type { ChatMessage, Role, ToolChoice, ToolDefinition } from '../../core/hunyuan/types';

/** A part of a request message, by kind; anything else (images, thinking, cache hints) is `skip`. */
export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'toolCall'; callId: string; name: string; input: unknown }
  | { kind: 'toolResult'; callId: string; text: string }
  | { kind: 'skip' };

export interface SortedMessage {
  role: Exclude<Role, 'tool'>;
  parts: readonly Part[];
}

/**
 * The messages as sent: a user message's tool results become `tool` messages (before its text), an
 * assistant message's tool calls its `tool_calls`; thinking and anything else not text is left out.
 */
export function toChatMessages(messages: readonly SortedMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const text = m.parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('');
    if (m.role === 'assistant') {
      const calls = m.parts.flatMap((p) => (p.kind === 'toolCall' ? [p] : []));
      if (!text && !calls.length) continue;
      out.push({
        role: 'assistant',
        content: text,
        ...(calls.length
          ? { tool_calls: calls.map((c) => ({ id: c.callId, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.input ?? {}) } })) }
          : {}),
      });
      continue;
    }
    const results = m.parts.flatMap((p) => (p.kind === 'toolResult' ? [p] : []));
    for (const r of results) out.push({ role: 'tool', tool_call_id: r.callId, content: r.text });
    if (text || !results.length) out.push({ role: m.role, content: text });
  }
  return out;
}

/** VS Code's tools in OpenAI form (a tool without a schema takes an empty object). */
export function toToolDefinitions(tools: readonly { name: string; description: string; inputSchema?: object | undefined }[] | undefined): ToolDefinition[] {
  return (tools ?? []).map((t) => ({
    type: 'function',
    function: {
      name: t.name,
      description: t.description,
      parameters: (t.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} },
    },
  }));
}

/** `tool_choice` for VS Code's tool mode: Required names the tool when there is one, else `required`; Auto is `auto`. */
export function toToolChoice(required: boolean, tools: readonly ToolDefinition[]): ToolChoice | undefined {
  if (!tools.length) return undefined;
  if (!required) return 'auto';
  return tools.length === 1 ? { type: 'function', function: { name: tools[0].function.name } } : 'required';
}
