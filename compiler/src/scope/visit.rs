//! The scope walk over statements. In: the folded `ast::Module`. Out: one `Block` per scope
//! (module, function, lambda, class body, comprehension) with the flags of every name as it
//! occurs there, in the order CPython's symtable visits the tree; the SyntaxErrors found on
//! the way (expressions: `expr`). `resolve` turns the flags into bindings.

use std::collections::BTreeMap;

use crate::ast::{ExprKind, FunctionDef, Module, Parameters, Span, Stmt, StmtKind};
use crate::diag::CompileError;

use super::{ScopeKind, node_key};

/// Declared `global`.
pub(super) const DEF_GLOBAL: u16 = 1;
/// Assigned, deleted, or bound by `def`/`class`/`for`/`with`/`except`.
pub(super) const DEF_LOCAL: u16 = 2;
/// A parameter.
pub(super) const DEF_PARAM: u16 = 4;
/// Declared `nonlocal` (or a walrus target inside a comprehension).
pub(super) const DEF_NONLOCAL: u16 = 8;
/// Read.
pub(super) const USE: u16 = 16;
/// Bound by `import`.
pub(super) const DEF_IMPORT: u16 = 32;
/// Annotated (`x: int`).
pub(super) const DEF_ANNOT: u16 = 64;
/// A comprehension's iteration variable.
pub(super) const DEF_COMP_ITER: u16 = 128;
/// Any binding in this scope.
pub(super) const DEF_BOUND: u16 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

/// One scope as the walk saw it.
pub(super) struct Block {
    pub kind: ScopeKind,
    pub name: String,
    pub qualname: String,
    /// `Some("list comprehension")` etc. for comprehension scopes (the wording of errors).
    pub comprehension: Option<&'static str>,
    pub is_async_def: bool,
    pub is_generator: bool,
    pub is_coroutine: bool,
    /// Flags of each name; a BTreeMap so resolution visits names in a fixed order.
    pub flags: BTreeMap<String, u16>,
    /// Names in order of their first binding (for the order of fast slots).
    pub bind_order: Vec<String>,
    pub params: Vec<String>,
    /// Where each name was first declared `global`/`nonlocal` (errors point there).
    pub directives: BTreeMap<String, Span>,
    pub children: Vec<usize>,
    /// `node_key` of the defining node; `None` for the module.
    pub key: Option<usize>,
    loop_depth: u32,
    pub(super) comp_iter_expr: u32,
    pub(super) comp_iter_target: bool,
    return_values: Vec<Span>,
}

impl Block {
    fn new(kind: ScopeKind, name: &str, qualname: String, key: Option<usize>) -> Block {
        Block {
            kind,
            name: name.to_string(),
            qualname,
            comprehension: None,
            is_async_def: false,
            is_generator: false,
            is_coroutine: false,
            flags: BTreeMap::new(),
            bind_order: Vec::new(),
            params: Vec::new(),
            directives: BTreeMap::new(),
            children: Vec::new(),
            key,
            loop_depth: 0,
            comp_iter_expr: 0,
            comp_iter_target: false,
            return_values: Vec::new(),
        }
    }

    pub fn flag(&self, name: &str) -> u16 {
        self.flags.get(name).copied().unwrap_or(0)
    }
}

/// Walks the module; the first block is the module's.
pub(super) fn visit(module: &Module) -> Result<Vec<Block>, CompileError> {
    let mut v = Visitor {
        blocks: vec![Block::new(
            ScopeKind::Module,
            "<module>",
            String::new(),
            None,
        )],
        stack: vec![0],
    };
    v.block(&module.body)?;
    Ok(v.blocks)
}

pub(super) struct Visitor {
    pub(super) blocks: Vec<Block>,
    /// Indices of the blocks enclosing the current position, innermost last.
    pub(super) stack: Vec<usize>,
}

/// An error placed at `span`.
pub(super) fn error(message: impl Into<String>, span: Span) -> CompileError {
    CompileError::syntax(message, span)
}

impl Visitor {
    pub(super) fn cur_idx(&self) -> usize {
        self.stack.last().copied().unwrap_or(0)
    }

    pub(super) fn cur(&mut self) -> &mut Block {
        let i = self.cur_idx();
        // The stack only ever holds indices of pushed blocks.
        &mut self.blocks[i]
    }

    pub(super) fn cur_ref(&self) -> &Block {
        &self.blocks[self.cur_idx()]
    }

    /// Adds `flag` to `name` in block `idx` (symtable_add_def_helper).
    pub(super) fn add_to(
        &mut self,
        idx: usize,
        name: &str,
        flag: u16,
        span: Span,
    ) -> Result<(), CompileError> {
        let Some(block) = self.blocks.get_mut(idx) else {
            return Ok(());
        };
        let mut flag = flag;
        if flag & DEF_LOCAL != 0 && block.comp_iter_target {
            flag |= DEF_COMP_ITER;
        }
        let old = block.flag(name);
        if flag & DEF_PARAM != 0 && old & DEF_PARAM != 0 {
            return Err(error(
                format!("duplicate argument '{name}' in function definition"),
                span,
            ));
        }
        if flag & DEF_BOUND != 0 && old & DEF_BOUND == 0 {
            block.bind_order.push(name.to_string());
        }
        if flag & DEF_PARAM != 0 {
            block.params.push(name.to_string());
        }
        block.flags.insert(name.to_string(), old | flag);
        Ok(())
    }

    pub(super) fn add(&mut self, name: &str, flag: u16, span: Span) -> Result<(), CompileError> {
        self.add_to(self.cur_idx(), name, flag, span)
    }

    pub(super) fn directive(&mut self, name: &str, span: Span) {
        self.cur()
            .directives
            .entry(name.to_string())
            .or_insert(span);
    }

    /// Opens a nested scope; its qualname follows CPython's `__qualname__` rules.
    pub(super) fn enter(&mut self, kind: ScopeKind, name: &str, key: usize) {
        let parent = self.cur_ref();
        let qualname = match parent.kind {
            ScopeKind::Module => name.to_string(),
            ScopeKind::Class => format!("{}.{name}", parent.qualname),
            ScopeKind::Function => format!("{}.<locals>.{name}", parent.qualname),
        };
        let idx = self.blocks.len();
        self.blocks
            .push(Block::new(kind, name, qualname, Some(key)));
        self.cur().children.push(idx);
        self.stack.push(idx);
    }

    pub(super) fn exit(&mut self) -> Result<(), CompileError> {
        let b = self.cur_ref();
        if b.is_async_def
            && b.is_generator
            && let Some(&span) = b.return_values.first()
        {
            return Err(error("'return' with value in async generator", span));
        }
        self.stack.pop();
        Ok(())
    }

    fn block(&mut self, body: &[Stmt]) -> Result<(), CompileError> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, stmt: &Stmt) -> Result<(), CompileError> {
        match &stmt.kind {
            StmtKind::Expr(e) => self.expr(e)?,
            StmtKind::Assign { targets, value } => {
                targets.iter().try_for_each(|t| self.target(t))?;
                self.expr(value)?;
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.target(target)?;
                self.expr(value)?;
            }
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            } => {
                if let ExprKind::Name(name) = &target.kind {
                    let flags = self.cur_ref().flag(name);
                    if flags & (DEF_GLOBAL | DEF_NONLOCAL) != 0
                        && self.cur_ref().kind != ScopeKind::Module
                    {
                        let what = if flags & DEF_GLOBAL != 0 {
                            "global"
                        } else {
                            "nonlocal"
                        };
                        return Err(error(
                            format!("annotated name '{name}' can't be {what}"),
                            stmt.span,
                        ));
                    }
                    self.add(name, DEF_ANNOT | DEF_LOCAL, target.span)?;
                } else {
                    self.target(target)?;
                }
                self.expr(annotation)?;
                if let Some(v) = value {
                    self.expr(v)?;
                }
            }
            StmtKind::FunctionDef(def) => self.function_def(def)?,
            StmtKind::ClassDef(def) => {
                self.add(&def.name.name, DEF_LOCAL, def.name.span)?;
                def.bases.iter().try_for_each(|b| self.expr(b))?;
                self.keywords(&def.keywords)?;
                def.decorators.iter().try_for_each(|d| self.expr(d))?;
                self.enter(ScopeKind::Class, &def.name.name, node_key(&**def));
                self.block(&def.body)?;
                self.exit()?;
            }
            StmtKind::Return(value) => {
                let b = self.cur_ref();
                if b.kind != ScopeKind::Function || b.comprehension.is_some() {
                    return Err(error("'return' outside function", stmt.span));
                }
                if let Some(v) = value {
                    self.cur().return_values.push(stmt.span);
                    self.expr(v)?;
                }
            }
            StmtKind::If { test, body, orelse } => {
                self.expr(test)?;
                self.block(body)?;
                self.block(orelse)?;
            }
            StmtKind::While { test, body, orelse } => {
                self.expr(test)?;
                self.loop_body(body)?;
                self.block(orelse)?;
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
                ..
            } => {
                self.target(target)?;
                self.expr(iter)?;
                self.loop_body(body)?;
                self.block(orelse)?;
            }
            StmtKind::Break if self.cur_ref().loop_depth == 0 => {
                return Err(error("'break' outside loop", stmt.span));
            }
            StmtKind::Continue if self.cur_ref().loop_depth == 0 => {
                return Err(error("'continue' not properly in loop", stmt.span));
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
            StmtKind::Global(names) => self.declare(names, stmt.span, DEF_GLOBAL)?,
            StmtKind::Nonlocal(names) => self.declare(names, stmt.span, DEF_NONLOCAL)?,
            StmtKind::With { items, body, .. } => {
                for item in items {
                    self.expr(&item.context)?;
                    if let Some(t) = &item.target {
                        self.target(t)?;
                    }
                }
                self.block(body)?;
            }
            StmtKind::Delete(targets) => targets.iter().try_for_each(|t| self.target(t))?,
            StmtKind::Assert { test, msg } => {
                self.expr(test)?;
                if let Some(m) = msg {
                    self.expr(m)?;
                }
            }
            StmtKind::Raise { exc, cause } => {
                exc.iter()
                    .chain(cause.iter())
                    .try_for_each(|e| self.expr(e))?;
            }
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => {
                self.block(body)?;
                for h in handlers {
                    if let Some(t) = &h.type_ {
                        self.expr(t)?;
                    }
                    if let Some(name) = &h.name {
                        self.add(&name.name, DEF_LOCAL, name.span)?;
                    }
                    self.block(&h.body)?;
                }
                self.block(orelse)?;
                self.block(finalbody)?;
            }
            StmtKind::Import(aliases) => {
                for alias in aliases {
                    let bound = match &alias.asname {
                        Some(asname) => asname.name.as_str(),
                        None => alias.name.name.split('.').next().unwrap_or_default(),
                    };
                    self.add(bound, DEF_IMPORT, alias.name.span)?;
                }
            }
            StmtKind::ImportFrom { names, .. } => {
                for alias in names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    if bound.name != "*" {
                        self.add(&bound.name, DEF_IMPORT, bound.span)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// `global` / `nonlocal`, with CPython's checks of earlier uses in the same scope.
    fn declare(
        &mut self,
        names: &[crate::ast::Ident],
        span: Span,
        flag: u16,
    ) -> Result<(), CompileError> {
        let what = if flag == DEF_GLOBAL {
            "global"
        } else {
            "nonlocal"
        };
        for ident in names {
            let name = &ident.name;
            let flags = self.cur_ref().flag(name);
            let problem = if flags & DEF_PARAM != 0 {
                Some(format!("name '{name}' is parameter and {what}"))
            } else if flags & USE != 0 {
                Some(format!("name '{name}' is used prior to {what} declaration"))
            } else if flags & DEF_ANNOT != 0 {
                Some(format!("annotated name '{name}' can't be {what}"))
            } else if flags & DEF_LOCAL != 0 {
                Some(format!(
                    "name '{name}' is assigned to before {what} declaration"
                ))
            } else {
                None
            };
            if let Some(message) = problem {
                // CPython points at the statement, not at the name.
                return Err(error(message, span));
            }
            self.add(name, flag, ident.span)?;
            self.directive(name, span);
        }
        Ok(())
    }

    fn loop_body(&mut self, body: &[Stmt]) -> Result<(), CompileError> {
        self.cur().loop_depth += 1;
        let result = self.block(body);
        self.cur().loop_depth -= 1;
        result
    }

    fn function_def(&mut self, def: &FunctionDef) -> Result<(), CompileError> {
        self.add(&def.name.name, DEF_LOCAL, def.name.span)?;
        self.defaults(&def.params)?;
        for a in def.params.iter().filter_map(|p| p.annotation.as_ref()) {
            self.expr(a)?;
        }
        if let Some(r) = &def.returns {
            self.expr(r)?;
        }
        def.decorators.iter().try_for_each(|d| self.expr(d))?;
        self.enter(ScopeKind::Function, &def.name.name, node_key(def));
        self.cur().is_async_def = def.is_async;
        self.cur().is_coroutine = def.is_async;
        self.params(&def.params)?;
        self.block(&def.body)?;
        self.exit()
    }

    /// Positional defaults, then keyword-only defaults, in the enclosing scope.
    pub(super) fn defaults(&mut self, params: &Parameters) -> Result<(), CompileError> {
        for p in params.args.iter().chain(&params.kwonly) {
            if let Some(d) = &p.default {
                self.expr(d)?;
            }
        }
        Ok(())
    }

    pub(super) fn params(&mut self, params: &Parameters) -> Result<(), CompileError> {
        params
            .iter()
            .try_for_each(|p| self.add(&p.name.name, DEF_PARAM, p.name.span))
    }
}
