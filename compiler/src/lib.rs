//! frost's compiler: MicroPython-dialect source text to a bytecode image.
//! In: source text and `Options`. Out: image bytes (the format of `frost_runtime::image`), or a
//! `CompileError` with file, line, column and message.
//!
//! Pipeline (one module per stage): `lexer` → `parser` → `fold` → `scope` → `codegen` → image.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod ast;
pub mod codegen;
pub mod diag;
pub mod dis;
pub mod fold;
pub mod lexer;
pub mod parser;
pub mod scope;

pub use diag::{CompileError, Warning};

/// What to compile and how (mpy-cross's options).
#[derive(Clone, Debug)]
pub struct Options {
    /// Name embedded in the image for tracebacks (`-s`, or the input path).
    pub source_name: String,
    /// 0..=3 and above: level 1+ makes `__debug__` False and strips asserts, 3+ drops lines.
    pub opt_level: u8,
    /// `-X no-source-lines` sets this false; it cannot bring lines back at level 3+.
    pub source_lines: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            source_name: "<stdin>".into(),
            opt_level: 0,
            source_lines: true,
        }
    }
}

/// A successful compilation: the image and any warnings.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub image: Vec<u8>,
    pub warnings: Vec<Warning>,
}

/// Compiles source text: parse → fold → scope → codegen → image bytes.
pub fn compile(source: &str, options: &Options) -> Result<Compiled, CompileError> {
    let (module, mut warnings) = parser::parse_with_warnings(source)?;
    let mut compiled = compile_module(module, source, options)?;
    warnings.append(&mut compiled.warnings);
    compiled.warnings = warnings;
    Ok(compiled)
}

/// Compiles `source` for `eval`: it must be one expression, and the module body returns its
/// value. Anything else (a statement, two expressions) is `SyntaxError: invalid syntax`.
pub fn compile_eval(source: &str, options: &Options) -> Result<Compiled, CompileError> {
    let mut module = parser::parse(source)?;
    let (expr, span) = match module.body.as_slice() {
        [
            ast::Stmt {
                kind: ast::StmtKind::Expr(expr),
                span,
            },
        ] => (expr.clone(), *span),
        [] => return Err(CompileError::syntax("invalid syntax", ast::Span::default())),
        [first, ..] => return Err(CompileError::syntax("invalid syntax", first.span)),
    };
    // Folded as a return, because fold drops a statement that is only a constant.
    module.body = vec![ast::Stmt {
        kind: ast::StmtKind::Return(Some(expr)),
        span,
    }];
    let warnings = fold::fold(&mut module, source, options.opt_level)?;
    // Back to an expression statement for scope analysis (which refuses a module-level
    // return) and codegen, which key nested scopes by node address: both see this module.
    for stmt in &mut module.body {
        if let ast::StmtKind::Return(Some(e)) = &mut stmt.kind {
            let none = ast::Expr::new(ast::ExprKind::Constant(ast::Constant::None), stmt.span);
            let e = std::mem::replace(e, none);
            stmt.kind = ast::StmtKind::Expr(e);
        }
    }
    let symbols = scope::analyze(&module)?;
    let image = codegen::generate_eval(&module, &symbols, source, options)?;
    Ok(Compiled { image, warnings })
}

/// Compiles a parsed module: fold → scope → codegen → image. `source` is the text the spans
/// refer to (line numbers, `const(1,)`).
pub fn compile_module(
    mut module: ast::Module,
    source: &str,
    options: &Options,
) -> Result<Compiled, CompileError> {
    let warnings = fold::fold(&mut module, source, options.opt_level)?;
    let symbols = scope::analyze(&module)?;
    let image = codegen::generate(&module, &symbols, source, options)?;
    Ok(Compiled { image, warnings })
}
