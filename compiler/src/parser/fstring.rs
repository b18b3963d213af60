//! f-strings. In: an `FStr` token (its undecoded body). Out: literal text and `FormattedValue`s
//! appended to the pieces of a `JoinedStr`. As in CPython 3.11: `{{`/`}}` escape braces, a
//! replacement field is `{expr[=][!conv][:spec]}`, the spec may hold fields one level deep,
//! the expression may not contain a backslash or `#`, and it is parsed as if parenthesised.

use super::Parser;
use crate::ast::{Constant, Expr, ExprKind, Span};
use crate::diag::CompileError;
use crate::lexer::{self, FStr, Tok, Token};

type PResult<T> = Result<T, CompileError>;

/// Replacement fields nest at most this deep (a field inside a format spec), as in CPython 3.11.
const MAX_FSTRING_NESTING: usize = 2;

/// The literal text gathered so far and the finished pieces of one `JoinedStr`.
#[derive(Default)]
pub(super) struct Pieces {
    pub text: String,
    pub parts: Vec<Expr>,
    /// A lone surrogate escape in the literal text became U+FFFD (the parser warns).
    pub replaced_surrogate: bool,
}

impl Pieces {
    /// Moves pending literal text into a `Constant` piece.
    pub fn flush(&mut self, span: Span) {
        if !self.text.is_empty() {
            let text = core::mem::take(&mut self.text);
            self.parts
                .push(Expr::new(ExprKind::Constant(Constant::Str(text)), span));
        }
    }
}

impl Parser<'_> {
    /// Adds one f-string token's pieces.
    pub(super) fn fstring(&mut self, f: &FStr, token: Span, out: &mut Pieces) -> PResult<()> {
        self.fstring_body(f, 0, 0, token, out).map(|_| ())
    }

    /// Literal text and fields from `pos`; inside a format spec (`nest > 0`) it stops at the
    /// `}` that closes the spec and returns its offset.
    fn fstring_body(
        &mut self,
        f: &FStr,
        mut pos: usize,
        nest: usize,
        token: Span,
        out: &mut Pieces,
    ) -> PResult<usize> {
        let bytes = f.body.as_bytes();
        let mut chunk = pos;
        while let Some(&c) = bytes.get(pos) {
            let doubled = bytes.get(pos + 1) == Some(&c);
            match c {
                b'{' | b'}' if nest == 0 && doubled => {
                    literal(f, chunk, pos + 1, token, out)?;
                    pos += 2;
                    chunk = pos;
                }
                b'}' if nest == 0 => {
                    return Err(error("f-string: single '}' is not allowed", token));
                }
                b'}' => {
                    literal(f, chunk, pos, token, out)?;
                    return Ok(pos);
                }
                b'{' => {
                    literal(f, chunk, pos, token, out)?;
                    if nest >= MAX_FSTRING_NESTING {
                        return Err(error("f-string: expressions nested too deeply", token));
                    }
                    pos = self.replacement_field(f, pos + 1, nest, token, out)?;
                    chunk = pos;
                }
                _ => pos += 1,
            }
        }
        literal(f, chunk, pos, token, out)?;
        if nest > 0 {
            return Err(error("f-string: expecting '}'", token));
        }
        Ok(pos)
    }

    /// One field from just after its `{`; returns the offset after its `}`.
    fn replacement_field(
        &mut self,
        f: &FStr,
        start: usize,
        nest: usize,
        token: Span,
        out: &mut Pieces,
    ) -> PResult<usize> {
        let body = f.body.as_str();
        let bytes = body.as_bytes();
        let end = expression_end(bytes, start, token)?;
        let source = body.get(start..end).unwrap_or("");
        if source.trim().is_empty() {
            return Err(match bytes.get(end) {
                Some(&c @ (b'!' | b':' | b'=')) => {
                    let message =
                        format!("f-string: expression required before '{}'", char::from(c));
                    error(&message, token)
                }
                _ => error("f-string: empty expression not allowed", token),
            });
        }
        let offset = f
            .offset
            .saturating_add(u32::try_from(start).unwrap_or(u32::MAX));
        let value = self.fstring_expr(source, offset)?;
        let mut pos = end;
        let mut self_doc = false;
        if bytes.get(pos) == Some(&b'=') {
            pos += 1;
            while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
                pos += 1;
            }
            out.text.push_str(body.get(start..pos).unwrap_or(""));
            self_doc = true;
        }
        let mut conversion = None;
        if bytes.get(pos) == Some(&b'!') {
            match bytes.get(pos + 1) {
                Some(&c @ (b's' | b'r' | b'a')) => conversion = Some(char::from(c)),
                _ => {
                    return Err(error(
                        "f-string: invalid conversion character: expected 's', 'r', or 'a'",
                        token,
                    ));
                }
            }
            pos += 2;
        }
        let mut format_spec = None;
        if bytes.get(pos) == Some(&b':') {
            let mut spec = Pieces::default();
            pos = self.fstring_body(f, pos + 1, nest + 1, token, &mut spec)?;
            spec.flush(token);
            format_spec = Some(Box::new(Expr::new(ExprKind::JoinedStr(spec.parts), token)));
        }
        if bytes.get(pos) != Some(&b'}') {
            return Err(error("f-string: expecting '}'", token));
        }
        if self_doc && conversion.is_none() && format_spec.is_none() {
            conversion = Some('r');
        }
        out.flush(token);
        let span = value.span;
        out.parts.push(Expr::new(
            ExprKind::FormattedValue {
                value: Box::new(value),
                conversion,
                format_spec,
            },
            span,
        ));
        Ok(pos + 1)
    }

    /// Parses a field's expression as CPython 3.11 does: as `(source)`, with spans that point
    /// into the real source (`offset` is where `source` starts).
    fn fstring_expr(&mut self, source: &str, offset: u32) -> PResult<Expr> {
        let wrapped = format!("({source})");
        let lexed = lexer::tokenize(&wrapped);
        let shift = |s: Span| {
            Span::new(
                s.start.saturating_add(offset).saturating_sub(1),
                s.end.saturating_add(offset).saturating_sub(1),
            )
        };
        if let Some(mut e) = lexed.error {
            e.span = shift(e.span);
            return Err(e);
        }
        let tokens: Vec<Token> = lexed
            .tokens
            .into_iter()
            .map(|t| Token {
                // A nested f-string's body offset moves with its token.
                tok: match t.tok {
                    Tok::FStr(mut inner) => {
                        inner.offset = shift(Span::new(inner.offset, inner.offset)).start;
                        Tok::FStr(inner)
                    }
                    other => other,
                },
                span: shift(t.span),
            })
            .collect();
        let mut sub = Parser {
            src: self.src,
            tokens: &tokens,
            pos: 0,
            depth: self.depth,
            ast_depth: self.ast_depth,
            in_function: self.in_function,
            in_async: self.in_async,
            in_scope: self.in_scope,
            in_loop: self.in_loop,
            deferred: None,
            warnings: lexed
                .warnings
                .iter()
                .map(|w| crate::diag::Warning {
                    message: w.message.clone(),
                    span: shift(w.span),
                })
                .collect(),
        };
        let value = sub.fstring_field().map_err(|mut e| {
            // CPython names the f-string in errors of the expressions inside it.
            if e.kind == "SyntaxError" && !e.message.starts_with("f-string") {
                e.message = format!("f-string: {}", e.message);
            }
            e
        })?;
        if let Some(e) = sub.deferred {
            self.defer(e);
        }
        self.warnings.append(&mut sub.warnings);
        Ok(value)
    }
}

impl Parser<'_> {
    /// The whole token stream of a field: one parenthesised expression.
    fn fstring_field(&mut self) -> PResult<Expr> {
        self.enter()?;
        let value = self.paren()?;
        if !matches!(self.peek(), Tok::Newline | Tok::EndOfFile) {
            return Err(self.unexpected());
        }
        Ok(value)
    }
}

/// Where a field's expression ends: at `=`, `!`, `:` or `}` outside brackets and strings.
fn expression_end(bytes: &[u8], start: usize, token: Span) -> PResult<usize> {
    let mut pos = start;
    let mut depth = 0usize;
    let mut quote: Option<(u8, bool)> = None;
    loop {
        let Some(&c) = bytes.get(pos) else {
            return Err(error("f-string: expecting '}'", token));
        };
        let next = bytes.get(pos + 1).copied();
        if c == b'\\' {
            return Err(error(
                "f-string expression part cannot include a backslash",
                token,
            ));
        }
        if let Some((q, triple)) = quote {
            if c == q {
                let closes = !triple || bytes.get(pos..pos + 3) == Some(&[q, q, q][..]);
                if closes {
                    quote = None;
                    pos += if triple { 3 } else { 1 };
                    continue;
                }
            }
            pos += 1;
            continue;
        }
        match c {
            b'\'' | b'"' => {
                let triple = bytes.get(pos..pos + 3) == Some(&[c, c, c][..]);
                quote = Some((c, triple));
                pos += if triple { 3 } else { 1 };
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b'}' if depth == 0 => return Ok(pos),
            b')' | b']' | b'}' => {
                if depth == 0 {
                    let message = format!("f-string: unmatched '{}'", char::from(c));
                    return Err(error(&message, token));
                }
                depth -= 1;
            }
            b'#' => {
                return Err(error("f-string expression part cannot include '#'", token));
            }
            b'!' | b'=' | b'<' | b'>' if next == Some(b'=') => pos += 1,
            b'!' | b'=' | b':' if depth == 0 => return Ok(pos),
            _ => {}
        }
        pos += 1;
    }
}

/// Decodes `body[from..to]` as literal text and appends it.
fn literal(f: &FStr, from: usize, to: usize, token: Span, out: &mut Pieces) -> PResult<()> {
    if let Some(text) = f.body.get(from..to).filter(|t| !t.is_empty()) {
        let (decoded, replaced) = lexer::decode_str(text, f.raw, token)?;
        out.text.push_str(&decoded);
        out.replaced_surrogate |= replaced;
    }
    Ok(())
}

fn error(message: &str, token: Span) -> CompileError {
    CompileError::syntax(message, Span::new(token.start, token.start))
}
