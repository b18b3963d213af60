//! Tokens. In: produced by `lexer::tokenize`. Out: consumed by `parser`. A token is a kind plus
//! the byte `Span` of its source text; literal tokens carry their decoded value, except
//! f-strings, whose body the parser splits.

use num_bigint::BigInt;

use crate::ast::Span;

/// One token of the logical token stream.
#[derive(Clone, PartialEq, Debug)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// What a token is. Keywords and operators are their own spelling (`Kw("if")`, `Op("**=")`).
#[derive(Clone, PartialEq, Debug)]
pub enum Tok {
    Name(String),
    Kw(&'static str),
    Op(&'static str),
    Int(BigInt),
    Float(f64),
    /// An imaginary literal (`2j`): its imaginary part.
    Imag(f64),
    Str(String),
    /// An f-string, kept as its source body for the parser to split into literal text and
    /// replacement fields.
    FStr(FStr),
    Bytes(Vec<u8>),
    /// End of a logical line.
    Newline,
    /// The indentation grew: a block opens.
    Indent,
    /// The indentation shrank back to an outer level: a block closes.
    Dedent,
    EndOfFile,
}

/// The body of an f-string literal (between the quotes, escapes not yet decoded).
#[derive(Clone, PartialEq, Debug)]
pub struct FStr {
    pub body: String,
    /// Byte offset of the body in the source, for the spans of the expressions inside.
    pub offset: u32,
    /// An `rf` string: backslashes in literal text stay as written.
    pub raw: bool,
}

/// Python 3.11's hard keywords, sorted (the lexer binary-searches them). Soft keywords such as
/// `match` stay names.
pub const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Operators and delimiters, longest first so the first match is the longest.
pub const OPERATORS: [&str; 47] = [
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@", "&", "|",
    "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "=",
];
