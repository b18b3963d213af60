//! Lexer. In: source text. Out: `Lexed`, the token stream with NEWLINE, INDENT and DEDENT, cut
//! short at the first lexical error, which it carries. Next: `parser`.
//!
//! nom parsers recognise the simple lexemes (names, digit runs, blanks, comments, line ends) on a
//! plain `&str` with byte offsets (no located spans); operators are matched longest first from
//! `OPERATORS`, string bodies scanned by hand for their escapes. This hand loop around them keeps
//! the indentation and bracket stacks, joins lines inside brackets and after a backslash, and
//! skips blank and comment-only lines.

mod number;
mod string;
mod token;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while};
use nom::{IResult, Parser};

pub use string::{decode_str, surrogate_warning};
pub use token::{FStr, KEYWORDS, OPERATORS, Tok, Token};

use crate::ast::Span;
use crate::diag::{CompileError, line_col};

/// CPython's tokenizer limit on open brackets; deeper nesting would only exhaust the parser's stack.
const MAX_BRACKET_DEPTH: usize = 200;
/// CPython's limit on indentation levels (MAXINDENT), for the same reason.
const MAX_INDENT_DEPTH: usize = 100;
/// Tabs advance the column to the next multiple of this, as in CPython.
const TAB_SIZE: u32 = 8;

/// The token stream, and the lexical error that stopped it early, if any.
#[derive(Clone, Debug)]
pub struct Lexed {
    /// Always ends with END_OF_FILE (at the error's offset when lexing stopped early).
    pub tokens: Vec<Token>,
    pub error: Option<CompileError>,
    /// Which of `error` and an earlier syntax error found by the parser is reported.
    pub precedence: Precedence,
    /// Warnings about literals (lone surrogate escapes replaced by U+FFFD).
    pub warnings: Vec<crate::diag::Warning>,
}

/// How a lexical error ranks against a syntax error the parser finds before reaching it. This
/// mirrors CPython, whose parser pulls tokens on demand and, after a failed parse, scans the rest
/// of the source for tokenizer errors.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Precedence {
    /// Reported anyway (bad numbers, unterminated strings, stray brackets, invalid characters).
    Overrides,
    /// Reported only if the parser gets there (indentation, continuation, literal values).
    WhereMet,
    /// An unclosed bracket: reported if the parser's error is on a later line than the bracket.
    Unclosed,
}

/// Splits `source` into tokens; a complete stream ends with NEWLINE (if any token precedes it),
/// one DEDENT per open block, and END_OF_FILE. On a lexical error the stream stops there, so the
/// parser can report an earlier syntax error first, as CPython's on-demand tokenizer does.
pub fn tokenize(source: &str) -> Lexed {
    Lexer::new(source).run()
}

/// Indentation of a line: `col` with tabs to multiples of 8, `alt` with tabs counting 1. When
/// the two orders disagree the indentation depends on the tab size: a TabError.
#[derive(Copy, Clone)]
struct Indent {
    col: u32,
    alt: u32,
}

struct Lexer<'s> {
    src: &'s str,
    pos: usize,
    tokens: Vec<Token>,
    indents: Vec<Indent>,
    brackets: Vec<(char, Span)>,
    at_line_start: bool,
    /// How the error being raised ranks against the parser's (see `Precedence`).
    precedence: Precedence,
    warnings: Vec<crate::diag::Warning>,
}

impl<'s> Lexer<'s> {
    fn new(src: &'s str) -> Lexer<'s> {
        Lexer {
            src,
            pos: 0,
            tokens: Vec::new(),
            indents: vec![Indent { col: 0, alt: 0 }],
            brackets: Vec::new(),
            at_line_start: true,
            precedence: Precedence::Overrides,
            warnings: Vec::new(),
        }
    }

    fn run(mut self) -> Lexed {
        let result = match self.src.find('\0') {
            Some(nul) => Err(CompileError::syntax(
                "source code cannot contain null bytes",
                span(nul, nul + 1),
            )),
            None => {
                // A UTF-8 byte order mark starts many files saved on Windows; CPython skips it.
                if self.src.starts_with('\u{feff}') {
                    self.pos = '\u{feff}'.len_utf8();
                }
                self.scan()
            }
        };
        match result {
            Ok(()) => self.finish(),
            Err(error) => self.stop(error),
        }
    }

    fn scan(&mut self) -> Result<(), CompileError> {
        loop {
            if self.at_line_start && self.brackets.is_empty() {
                self.at_line_start = false;
                if !self.line_start()? {
                    continue;
                }
            }
            self.skip_blanks();
            let rest = self.rest();
            let Some(c) = rest.chars().next() else {
                break;
            };
            let after = rest.get(c.len_utf8()..).unwrap_or("");
            match c {
                '#' => self.skip_comment(),
                '\n' | '\r' => self.line_end(),
                '\\' => self.continuation()?,
                '0'..='9' => self.number()?,
                '.' if after.starts_with(|d: char| d.is_ascii_digit()) => self.number()?,
                '"' | '\'' => self.string(0)?,
                c if is_name_start(c) => self.name_or_prefixed_string()?,
                _ => self.operator(c)?,
            }
        }
        self.precedence = Precedence::Unclosed;
        match self.brackets.last() {
            Some(&(open, open_span)) => Err(CompileError::syntax(
                format!("'{open}' was never closed"),
                open_span,
            )),
            None => Ok(()),
        }
    }

    /// Ends the stream early at a lexical error.
    fn stop(mut self, error: CompileError) -> Lexed {
        let at = error.span.start as usize;
        self.push(Tok::EndOfFile, at, at);
        Lexed {
            tokens: self.tokens,
            error: Some(error),
            precedence: self.precedence,
            warnings: self.warnings,
        }
    }

    fn rest(&self) -> &'s str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn push(&mut self, tok: Tok, start: usize, end: usize) {
        self.tokens.push(Token {
            tok,
            span: span(start, end),
        });
    }

    /// Measures the indentation of a new line and emits INDENT/DEDENT. Returns false when the
    /// line is blank or comment-only (it has been consumed and produces no token).
    fn line_start(&mut self) -> Result<bool, CompileError> {
        let start = self.pos;
        let mut ind = Indent { col: 0, alt: 0 };
        for c in self.rest().chars() {
            match c {
                ' ' => {
                    ind.col += 1;
                    ind.alt += 1;
                }
                '\t' => {
                    ind.col = (ind.col / TAB_SIZE + 1) * TAB_SIZE;
                    ind.alt += 1;
                }
                '\x0c' => ind = Indent { col: 0, alt: 0 },
                _ => break,
            }
            self.pos += 1;
        }
        let rest = self.rest();
        if rest.is_empty() {
            return Ok(false);
        }
        if rest.starts_with(['#', '\n', '\r']) {
            self.skip_comment();
            self.consume_line_end();
            self.at_line_start = true;
            return Ok(false);
        }
        // CPython reports indentation errors only where the parser meets them.
        self.precedence = Precedence::WhereMet;
        self.indent_to(ind, start)?;
        self.precedence = Precedence::Overrides;
        Ok(true)
    }

    fn indent_to(&mut self, ind: Indent, line_start: usize) -> Result<(), CompileError> {
        let here = self.pos;
        let tab_error = || {
            CompileError::new(
                "TabError",
                "inconsistent use of tabs and spaces in indentation",
                span(line_start, line_start),
            )
        };
        let top = self
            .indents
            .last()
            .copied()
            .unwrap_or(Indent { col: 0, alt: 0 });
        if ind.col == top.col {
            if ind.alt != top.alt {
                return Err(tab_error());
            }
        } else if ind.col > top.col {
            if ind.alt <= top.alt {
                return Err(tab_error());
            }
            if self.indents.len() > MAX_INDENT_DEPTH {
                return Err(CompileError::new(
                    "IndentationError",
                    "too many levels of indentation",
                    span(here, here),
                ));
            }
            self.indents.push(ind);
            self.push(Tok::Indent, here, here);
        } else {
            while self.indents.len() > 1 && self.indents.last().is_some_and(|t| ind.col < t.col) {
                self.indents.pop();
                self.push(Tok::Dedent, here, here);
            }
            let top = self
                .indents
                .last()
                .copied()
                .unwrap_or(Indent { col: 0, alt: 0 });
            if ind.col != top.col {
                let end = self.line_end_offset(here);
                return Err(CompileError::new(
                    "IndentationError",
                    "unindent does not match any outer indentation level",
                    span(end, end),
                ));
            }
            if ind.alt != top.alt {
                return Err(tab_error());
            }
        }
        Ok(())
    }

    fn skip_blanks(&mut self) {
        let r: IResult<&str, &str> =
            take_while(|c| c == ' ' || c == '\t' || c == '\x0c')(self.rest());
        if let Ok((_, ws)) = r {
            self.pos += ws.len();
        }
    }

    fn skip_comment(&mut self) {
        let r: IResult<&str, &str> = take_till(|c| c == '\n' || c == '\r')(self.rest());
        if let Ok((_, text)) = r {
            self.pos += text.len();
        }
    }

    /// Consumes one line end (`\n`, `\r\n` or a lone `\r`), if there is one.
    fn consume_line_end(&mut self) -> usize {
        let r: IResult<&str, &str> = alt((tag("\r\n"), tag("\n"), tag("\r"))).parse(self.rest());
        let n = r.map_or(0, |(_, t)| t.len());
        self.pos += n;
        n
    }

    fn line_end_offset(&self, from: usize) -> usize {
        let rest = self.src.get(from..).unwrap_or("");
        from + rest.find(['\n', '\r']).unwrap_or(rest.len())
    }

    fn line_end(&mut self) {
        let start = self.pos;
        self.consume_line_end();
        if self.brackets.is_empty() {
            // A line of only a continuation and a comment holds no token: no NEWLINE either.
            let ends_line = |t: &Token| matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent);
            if self.tokens.last().is_some_and(|t| !ends_line(t)) {
                self.push(Tok::Newline, start, self.pos);
            }
            self.at_line_start = true;
        }
    }

    fn continuation(&mut self) -> Result<(), CompileError> {
        let at = self.pos;
        // Like indentation errors, these are reported only where the parser meets them.
        self.precedence = Precedence::WhereMet;
        self.pos += 1;
        if !self.rest().is_empty() && self.consume_line_end() == 0 {
            return Err(CompileError::syntax(
                "unexpected character after line continuation character",
                span(at + 1, at + 1),
            ));
        }
        if self.rest().is_empty() {
            return Err(CompileError::syntax(
                "unexpected EOF while parsing",
                span(self.pos, self.pos),
            ));
        }
        self.precedence = Precedence::Overrides;
        Ok(())
    }

    fn number(&mut self) -> Result<(), CompileError> {
        let (tok, len) = number::lex(self.rest(), self.pos)?;
        let start = self.pos;
        self.pos += len;
        self.push(tok, start, self.pos);
        Ok(())
    }

    /// A string starting at `self.pos + prefix_len` (the quote), with the prefix before it.
    fn string(&mut self, prefix_len: usize) -> Result<(), CompileError> {
        let start = self.pos;
        let (tok, len, replaced) = match string::lex(self.src, start, prefix_len) {
            Ok(lexed) => lexed,
            Err(string::StringError::Token(e)) => return Err(e),
            Err(string::StringError::Value(e)) => {
                self.precedence = Precedence::WhereMet;
                return Err(e);
            }
        };
        self.pos += len;
        if replaced {
            self.warnings
                .push(string::surrogate_warning(span(start, self.pos)));
        }
        self.push(tok, start, self.pos);
        Ok(())
    }

    fn name_or_prefixed_string(&mut self) -> Result<(), CompileError> {
        let rest = self.rest();
        let r: IResult<&str, &str> = take_while(is_name_continue)(rest);
        let (after, word) = r.unwrap_or(("", rest));
        let len = word.len();
        if after.starts_with(['"', '\'']) && string::is_prefix(word) {
            return self.string(len);
        }
        let start = self.pos;
        self.pos += len;
        let tok = match KEYWORDS.binary_search(&word) {
            Ok(i) => Tok::Kw(KEYWORDS.get(i).copied().unwrap_or("")),
            Err(_) => Tok::Name(word.into()),
        };
        self.push(tok, start, self.pos);
        Ok(())
    }

    fn operator(&mut self, c: char) -> Result<(), CompileError> {
        let start = self.pos;
        let rest = self.rest();
        // Comparing the first byte before the rest keeps this from calling `memcmp` 47 times.
        let first = rest.as_bytes().first();
        let Some(op) = OPERATORS
            .iter()
            .find(|op| op.as_bytes().first() == first && rest.starts_with(**op))
        else {
            let end = start + c.len_utf8();
            let message = if is_non_printable(c) {
                format!("invalid non-printable character U+{:04X}", c as u32)
            } else if c.is_ascii() {
                "invalid syntax".to_string()
            } else {
                format!("invalid character '{c}' (U+{:04X})", c as u32)
            };
            return Err(CompileError::syntax(message, span(start, end)));
        };
        self.pos += op.len();
        match *op {
            "(" | "[" | "{" => {
                if self.brackets.len() >= MAX_BRACKET_DEPTH {
                    return Err(CompileError::syntax(
                        "too many nested parentheses",
                        span(start, self.pos),
                    ));
                }
                self.brackets.push((c, span(start, self.pos)));
            }
            ")" | "]" | "}" => match self.brackets.pop() {
                None => {
                    return Err(CompileError::syntax(
                        format!("unmatched '{c}'"),
                        span(start, self.pos),
                    ));
                }
                Some((open, open_span)) if closer(open) != c => {
                    let (open_line, _) = line_col(self.src, open_span.start);
                    let (line, _) = line_col(self.src, start as u32);
                    let on_line = if open_line == line {
                        String::new()
                    } else {
                        format!(" on line {open_line}")
                    };
                    return Err(CompileError::syntax(
                        format!(
                            "closing parenthesis '{c}' does not match opening parenthesis \
                             '{open}'{on_line}"
                        ),
                        span(start, self.pos),
                    ));
                }
                Some(_) => {}
            },
            _ => {}
        }
        self.push(Tok::Op(op), start, self.pos);
        Ok(())
    }

    fn finish(mut self) -> Lexed {
        let end = self.src.len();
        if self.tokens.last().is_some_and(|t| t.tok != Tok::Newline) {
            self.push(Tok::Newline, end, end);
        }
        for _ in 1..self.indents.len() {
            self.push(Tok::Dedent, end, end);
        }
        self.push(Tok::EndOfFile, end, end);
        Lexed {
            tokens: self.tokens,
            error: None,
            precedence: Precedence::Overrides,
            warnings: self.warnings,
        }
    }
}

fn closer(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

/// Identifier characters: ASCII letters, `_`, and non-ASCII letters (an approximation of
/// Unicode XID that needs no tables).
fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

fn is_name_continue(c: char) -> bool {
    c == '_'
        || c.is_ascii_alphanumeric()
        || (!c.is_ascii() && (c.is_alphanumeric() || is_combining_mark(c)))
}

/// Combining marks may continue a name (`नमस्ते`, `x\u{e0100}`): the mark blocks, and the
/// vowel signs and viramas of the Indic and Thai scripts, short of their punctuation.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'
        | '\u{0483}'..='\u{0487}'
        | '\u{0591}'..='\u{05bd}'
        | '\u{0610}'..='\u{061a}'
        | '\u{064b}'..='\u{065f}'
        | '\u{0670}'
        | '\u{06d6}'..='\u{06dc}'
        | '\u{0900}'..='\u{0963}'
        | '\u{0981}'..='\u{0def}'
        | '\u{0e31}'
        | '\u{0e34}'..='\u{0e3a}'
        | '\u{0e47}'..='\u{0e4e}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20dc}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{fe20}'..='\u{fe2f}'
        | '\u{e0100}'..='\u{e01ef}')
}

/// Characters CPython names by code point only: controls, spaces other than the ones that
/// separate tokens, and invisible format characters (zero-width space, BOM, ...).
fn is_non_printable(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

fn span(start: usize, end: usize) -> Span {
    Span::new(to_u32(start), to_u32(end))
}

/// Offsets beyond 4 GiB saturate; such sources are far beyond any device image anyway.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
