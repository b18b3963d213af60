//! Diagnostics. In: a `CompileError` or warning with a span, and the source text. Out: text for
//! people: file, line, column, the source line with a caret, and the message.

use crate::ast::Span;

/// A compile-time error: a SyntaxError with MicroPython's message where one exists.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CompileError {
    /// The Python exception type, e.g. `SyntaxError` or `IndentationError`.
    pub kind: &'static str,
    pub message: String,
    pub span: Span,
}

/// A compile-time warning (the build goes on).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Warning {
    pub message: String,
    pub span: Span,
}

impl CompileError {
    pub fn syntax(message: impl Into<String>, span: Span) -> CompileError {
        CompileError {
            kind: "SyntaxError",
            message: message.into(),
            span,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: u32) -> (u32, u32) {
    let offset = (offset as usize).min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source
        .get(line_start..offset)
        .map_or(0, |s| s.chars().count()) as u32
        + 1;
    (line, col)
}
