//! Diagnostics. In: a `CompileError` or warning with a span, and the source text. Out: text for
//! people: file, line, column, the source line with a caret, and the message, in CPython's
//! traceback shape.

use core::fmt::Write;

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
    /// An error of the given Python exception type (`IndentationError`, `TabError`, ...).
    pub fn new(kind: &'static str, message: impl Into<String>, span: Span) -> CompileError {
        CompileError {
            kind,
            message: message.into(),
            span,
        }
    }

    /// A `SyntaxError`.
    pub fn syntax(message: impl Into<String>, span: Span) -> CompileError {
        CompileError::new("SyntaxError", message, span)
    }
}

/// Renders an error as CPython's traceback, with the column added:
/// `Traceback ...`, `  File "x.py", line 3, column 7`, the stripped source line, a caret, and
/// `SyntaxError: message`.
pub fn render(err: &CompileError, source_name: &str, source: &str) -> String {
    let mut out = String::from("Traceback (most recent call last):\n");
    location(&mut out, err.span, source_name, source);
    let _ = writeln!(out, "{}: {}", err.kind, err.message);
    out
}

/// Renders a warning like an error, without the `Traceback` line and ending in
/// `warning: message`.
pub fn render_warning(w: &Warning, source_name: &str, source: &str) -> String {
    let mut out = String::new();
    location(&mut out, w.span, source_name, source);
    let _ = writeln!(out, "warning: {}", w.message);
    out
}

/// The `File` line, the source line without its indentation, and the caret under the column.
fn location(out: &mut String, span: Span, source_name: &str, source: &str) {
    let offset = caret_offset(source, span.start);
    let (line, col) = line_col(source, offset);
    let _ = writeln!(out, "  File \"{source_name}\", line {line}, column {col}");
    let start = line_start(source, offset as usize);
    let rest = source.get(start..).unwrap_or("");
    let text = rest
        .get(..rest.find(['\n', '\r']).unwrap_or(rest.len()))
        .unwrap_or("");
    let stripped = text.trim_start();
    let indent = text.chars().count() - stripped.chars().count();
    let caret = (col as usize).saturating_sub(1).saturating_sub(indent);
    let _ = writeln!(out, "    {}", stripped.trim_end());
    let _ = writeln!(out, "    {}^", " ".repeat(caret));
}

/// A span at (or past) the end of the source points just after the last character, not at the
/// empty line after a final line end.
fn caret_offset(source: &str, offset: u32) -> u32 {
    let len = source.len();
    if (offset as usize) < len {
        return offset;
    }
    let trimmed = source.trim_end_matches(['\n', '\r']);
    let end = if trimmed.len() < len {
        trimmed.len()
    } else {
        len
    };
    u32::try_from(end).unwrap_or(u32::MAX)
}

fn line_start(source: &str, offset: usize) -> usize {
    source
        .get(..offset.min(source.len()))
        .and_then(|s| s.rfind(['\n', '\r']))
        .map_or(0, |i| i + 1)
}

/// Byte offset where each line starts (the first is 0), with the line ends the lexer knows:
/// `\n`, `\r\n` and a lone `\r`. Line N of an offset is `starts.partition_point(|&s| s <= off)`.
pub fn line_starts(source: &str) -> Vec<u32> {
    let bytes = source.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if ends_line {
            starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
        }
    }
    starts
}

/// 1-based line and column (in characters) of a byte offset. `\n`, `\r\n` and a lone `\r` each
/// end a line.
pub fn line_col(source: &str, offset: u32) -> (u32, u32) {
    let mut offset = (offset as usize).min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = source.get(..offset).unwrap_or("");
    let bytes = before.as_bytes();
    let mut line = 1u32;
    for (i, &b) in bytes.iter().enumerate() {
        let crlf = b == b'\r' && source.as_bytes().get(i + 1) == Some(&b'\n');
        if b == b'\n' || (b == b'\r' && !crlf) {
            line += 1;
        }
    }
    let col = before
        .get(line_start(source, offset)..)
        .map_or(0, |s| s.chars().count()) as u32
        + 1;
    (line, col)
}
