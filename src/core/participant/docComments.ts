/**
 * How each language writes doc comments, for `@hunyuan /doc`: the convention's name, where the
 * comment goes, and a short example the prompt shows the model. Pure.
 */

export interface DocConvention {
  /** `JSDoc`, `docstrings (PEP 257)`, `Go doc comments`, … */
  readonly name: string;
  /** `before`: above the declaration; `inside`: the first statement of the body (Python). */
  readonly placement: 'before' | 'inside';
  /** What the convention asks for, in one or two sentences. */
  readonly rules: string;
  /** A tiny example in the language. */
  readonly example: string;
}

const JSDOC: DocConvention = {
  name: 'JSDoc', placement: 'before',
  rules: 'A `/** … */` block above each function, class, method and exported constant: a one-line summary, then `@param name` for each parameter, `@returns` and `@throws` where they apply. In TypeScript, do not repeat the types in the tags.',
  example: '/**\n * Adds two numbers.\n * @param a The first addend.\n * @param b The second addend.\n * @returns The sum of `a` and `b`.\n */',
};

const CONVENTIONS: Record<string, DocConvention> = {
  javascript: JSDOC, typescript: JSDOC, javascriptreact: JSDOC, typescriptreact: JSDOC, vue: JSDOC, svelte: JSDOC,
  python: {
    name: 'docstrings (PEP 257, Google style)', placement: 'inside',
    rules: 'A triple-quoted docstring as the first statement of each module, class and function body: a one-line summary ending with a period, then `Args:`, `Returns:` and `Raises:` sections where they apply. Keep existing docstrings unless they are wrong.',
    example: 'def add(a: int, b: int) -> int:\n    """Add two numbers.\n\n    Args:\n        a: The first addend.\n        b: The second addend.\n\n    Returns:\n        The sum of a and b.\n    """',
  },
  go: {
    name: 'Go doc comments', placement: 'before',
    rules: '`//` line comments directly above each declaration, starting with the name of what they document (`// Add returns …`), written as full sentences. No `/* */` blocks, no tags.',
    example: '// Add returns the sum of a and b.',
  },
  rust: {
    name: 'rustdoc', placement: 'before',
    rules: '`///` comments above each item: a one-line summary, then sections such as `# Errors`, `# Panics` and `# Examples` (with a code block) where they apply; `//!` only for the module itself.',
    example: '/// Returns the sum of `a` and `b`.\n///\n/// # Examples\n///\n/// ```\n/// assert_eq!(add(1, 2), 3);\n/// ```',
  },
  java: {
    name: 'Javadoc', placement: 'before',
    rules: 'A `/** … */` block above each class, method and public field: a summary sentence, then `@param`, `@return` and `@throws` tags.',
    example: '/**\n * Adds two numbers.\n *\n * @param a the first addend\n * @param b the second addend\n * @return the sum of {@code a} and {@code b}\n */',
  },
  kotlin: {
    name: 'KDoc', placement: 'before',
    rules: 'A `/** … */` block above each declaration: a summary, then `@param`, `@return` and `@throws` tags; refer to names in [brackets].',
    example: '/**\n * Adds [a] and [b].\n *\n * @return the sum.\n */',
  },
  csharp: {
    name: 'XML documentation comments', placement: 'before',
    rules: '`///` comments above each type and member with `<summary>`, `<param name="…">`, `<returns>` and `<exception cref="…">` elements.',
    example: '/// <summary>Adds two numbers.</summary>\n/// <param name="a">The first addend.</param>\n/// <param name="b">The second addend.</param>\n/// <returns>The sum.</returns>',
  },
  c: {
    name: 'Doxygen', placement: 'before',
    rules: 'A `/** … */` block above each function, struct and macro: `@brief`, then `@param`, `@return` and notes on ownership and errors.',
    example: '/**\n * @brief Adds two numbers.\n * @param a The first addend.\n * @param b The second addend.\n * @return The sum.\n */',
  },
  php: {
    name: 'PHPDoc', placement: 'before',
    rules: 'A `/** … */` block above each class, function and property: a summary, then `@param type $name`, `@return type` and `@throws` tags.',
    example: '/**\n * Adds two numbers.\n *\n * @param int $a The first addend.\n * @param int $b The second addend.\n * @return int The sum.\n */',
  },
  ruby: {
    name: 'YARD', placement: 'before',
    rules: '`#` comments above each method and class: a summary, then `@param name [Type]`, `@return [Type]` and `@raise` tags.',
    example: '# Adds two numbers.\n#\n# @param a [Integer] the first addend\n# @param b [Integer] the second addend\n# @return [Integer] the sum',
  },
  swift: {
    name: 'Swift documentation markup', placement: 'before',
    rules: '`///` comments above each declaration: a summary, then `- Parameters:`, `- Returns:` and `- Throws:` fields.',
    example: '/// Adds two numbers.\n///\n/// - Parameters:\n///   - a: The first addend.\n///   - b: The second addend.\n/// - Returns: The sum.',
  },
  shellscript: {
    name: 'shell function comments (Google style)', placement: 'before',
    rules: '`#` comments above each function describing what it does, then `Globals:`, `Arguments:`, `Outputs:` and `Returns:` lines where they apply.',
    example: '#######################################\n# Adds two numbers.\n# Arguments:\n#   The first and second addend.\n# Outputs:\n#   Writes the sum to stdout.\n#######################################',
  },
  lua: {
    name: 'LuaDoc / EmmyLua annotations', placement: 'before',
    rules: '`---` comments above each function: a summary, then `---@param name type description` and `---@return type description`.',
    example: '--- Adds two numbers.\n---@param a number The first addend.\n---@param b number The second addend.\n---@return number The sum.',
  },
};
CONVENTIONS.cpp = CONVENTIONS.c;
CONVENTIONS['objective-c'] = CONVENTIONS.c;
CONVENTIONS['objective-cpp'] = CONVENTIONS.c;
CONVENTIONS.scala = { ...CONVENTIONS.java, name: 'Scaladoc' };
CONVENTIONS.dart = { ...CONVENTIONS.swift, name: 'Dart doc comments', rules: '`///` comments above each declaration, starting with a one-sentence summary; refer to names in [brackets].', example: '/// Returns the sum of [a] and [b].' };

/** The doc-comment convention of `languageId`, or a general one (comments in the language's own comment syntax) when unknown. */
export function docConvention(languageId: string): DocConvention {
  return (Object.prototype.hasOwnProperty.call(CONVENTIONS, languageId.toLowerCase()) ? CONVENTIONS[languageId.toLowerCase()] : undefined) ?? {
    name: "the language's usual documentation comments", placement: 'before',
    rules: 'A comment above each function, class and public declaration in the language\'s usual documentation style: what it does, its parameters, what it returns and what it may fail with.',
    example: '',
  };
}
