//! Scope analysis. In: the folded `ast::Module`. Out: a `SymbolTable` giving every function its
//! locals (fast slots, parameters first) and its declared globals; every other name a function
//! reads is a global, and module-level code uses name operations. Also the SyntaxErrors of
//! misplaced `global`, `return`, `break` and `continue`, and of closures (not supported yet).
//! Next: `codegen`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{Expr, ExprKind, FunctionDef, Module, Span, Stmt, StmtKind};
use crate::diag::CompileError;

/// The names of one function.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct FunctionScope {
    /// Local slots in order: the parameters, then other bound names by first binding.
    pub locals: Vec<String>,
    /// Names declared `global`.
    pub globals: BTreeSet<String>,
    /// Slot of each local, for lookups in functions with many locals.
    slots: BTreeMap<String, u32>,
}

impl FunctionScope {
    fn new(locals: Vec<String>, globals: BTreeSet<String>) -> FunctionScope {
        let slots = locals
            .iter()
            .zip(0u32..)
            .map(|(l, i)| (l.clone(), i))
            .collect();
        FunctionScope {
            locals,
            globals,
            slots,
        }
    }

    /// The slot of a local name.
    pub fn local_idx(&self, name: &str) -> Option<u32> {
        self.slots.get(name).copied()
    }
}

/// Every function's scope, keyed by the span of its name in `def NAME` (unique per def).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct SymbolTable {
    functions: BTreeMap<(u32, u32), FunctionScope>,
}

impl SymbolTable {
    /// The scope of the function whose `def` name has this span.
    pub fn function(&self, def: &FunctionDef) -> Option<&FunctionScope> {
        self.functions
            .get(&(def.name.span.start, def.name.span.end))
    }
}

/// Analyses the module and every function in it.
pub fn analyze(module: &Module) -> Result<SymbolTable, CompileError> {
    let mut table = SymbolTable::default();
    let mut walk = Walk::new(false);
    walk.block(&module.body)?;
    for def in walk.nested {
        function(def, &[], &mut table)?;
    }
    Ok(table)
}

fn function(
    def: &FunctionDef,
    enclosing: &[&FunctionScope],
    table: &mut SymbolTable,
) -> Result<(), CompileError> {
    let mut walk = Walk::new(true);
    for p in def.params.iter() {
        walk.bind(&p.name.name);
        walk.mark(&p.name.name, PARAM);
    }
    walk.block(&def.body)?;
    let locals = walk
        .bound
        .iter()
        .filter(|n| !walk.globals.contains(*n))
        .cloned()
        .collect();
    let scope = FunctionScope::new(locals, walk.globals.clone());
    for (name, span) in &walk.uses {
        let local = scope.local_idx(name).is_some() || scope.globals.contains(name);
        if !local && enclosing.iter().any(|s| s.local_idx(name).is_some()) {
            return Err(CompileError::syntax(
                "closures are not supported yet",
                *span,
            ));
        }
    }
    let mut chain = enclosing.to_vec();
    chain.push(&scope);
    for nested in &walk.nested {
        function(nested, &chain, table)?;
    }
    table
        .functions
        .insert((def.name.span.start, def.name.span.end), scope);
    Ok(())
}

const USE: u8 = 1;
const ASSIGN: u8 = 2;
const PARAM: u8 = 4;

/// One pass over a scope's statements in source order (nested defs are only collected).
struct Walk<'a> {
    in_function: bool,
    loop_depth: u32,
    flags: BTreeMap<String, u8>,
    /// Bound names in order of first binding, and as a set.
    bound: Vec<String>,
    bound_set: BTreeSet<String>,
    globals: BTreeSet<String>,
    /// Every name read, with where (for the closure check).
    uses: Vec<(String, Span)>,
    nested: Vec<&'a FunctionDef>,
}

impl<'a> Walk<'a> {
    fn new(in_function: bool) -> Walk<'a> {
        Walk {
            in_function,
            loop_depth: 0,
            flags: BTreeMap::new(),
            bound: Vec::new(),
            bound_set: BTreeSet::new(),
            globals: BTreeSet::new(),
            uses: Vec::new(),
            nested: Vec::new(),
        }
    }

    fn mark(&mut self, name: &str, flag: u8) {
        *self.flags.entry(name.to_string()).or_default() |= flag;
    }

    fn bind(&mut self, name: &str) {
        self.mark(name, ASSIGN);
        self.bind_silently(name);
    }

    /// Binds without the flag `global` checks: CPython accepts `import x` before `global x`.
    fn bind_silently(&mut self, name: &str) {
        if self.bound_set.insert(name.to_string()) {
            self.bound.push(name.to_string());
        }
    }

    fn block(&mut self, body: &'a [Stmt]) -> Result<(), CompileError> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    fn stmt(&mut self, stmt: &'a Stmt) -> Result<(), CompileError> {
        match &stmt.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| self.target(t));
                self.expr(value);
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.target(target);
                self.expr(value);
            }
            StmtKind::AnnAssign { target, value, .. } => {
                self.target(target);
                if let Some(v) = value {
                    self.expr(v);
                }
            }
            StmtKind::FunctionDef(def) => {
                def.params
                    .iter()
                    .filter_map(|p| p.default.as_ref())
                    .for_each(|d| self.expr(d));
                self.bind(&def.name.name);
                self.nested.push(def);
            }
            StmtKind::Return(value) => {
                if !self.in_function {
                    return Err(CompileError::syntax("'return' outside function", stmt.span));
                }
                if let Some(v) = value {
                    self.expr(v);
                }
            }
            StmtKind::If { test, body, orelse } => {
                self.expr(test);
                self.block(body)?;
                self.block(orelse)?;
            }
            StmtKind::While { test, body, orelse } => {
                self.expr(test);
                self.loop_body(body)?;
                self.block(orelse)?;
            }
            StmtKind::For {
                is_async: _,
                target,
                iter,
                body,
                orelse,
            } => {
                self.expr(iter);
                self.target(target);
                self.loop_body(body)?;
                self.block(orelse)?;
            }
            StmtKind::Break if self.loop_depth == 0 => {
                return Err(CompileError::syntax("'break' outside loop", stmt.span));
            }
            StmtKind::Continue if self.loop_depth == 0 => {
                return Err(CompileError::syntax(
                    "'continue' not properly in loop",
                    stmt.span,
                ));
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
            // The complete grammar's statements arrive with their scopes in the next issue.
            StmtKind::ClassDef(_) | StmtKind::Nonlocal(_) | StmtKind::With { .. } => {}
            StmtKind::Global(names) => {
                for ident in names {
                    let flags = self.flags.get(&ident.name).copied().unwrap_or(0);
                    let problem = if flags & PARAM != 0 {
                        Some("is parameter and global")
                    } else if flags & USE != 0 {
                        Some("is used prior to global declaration")
                    } else if flags & ASSIGN != 0 {
                        Some("is assigned to before global declaration")
                    } else {
                        None
                    };
                    if let Some(problem) = problem {
                        // CPython points at the `global` statement, not at the name.
                        let message = format!("name '{}' {problem}", ident.name);
                        return Err(CompileError::syntax(message, stmt.span));
                    }
                    self.globals.insert(ident.name.clone());
                }
            }
            StmtKind::Delete(targets) => targets.iter().for_each(|t| self.target(t)),
            StmtKind::Assert { test, msg } => {
                self.expr(test);
                if let Some(m) = msg {
                    self.expr(m);
                }
            }
            StmtKind::Raise { exc, cause } => {
                exc.iter().chain(cause.iter()).for_each(|e| self.expr(e));
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
                        self.expr(t);
                    }
                    if let Some(name) = &h.name {
                        self.bind(&name.name);
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
                    self.bind_silently(bound);
                }
            }
            StmtKind::ImportFrom { names, .. } => {
                for alias in names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    if bound.name != "*" {
                        self.bind_silently(&bound.name);
                    }
                }
            }
        }
        Ok(())
    }

    fn loop_body(&mut self, body: &'a [Stmt]) -> Result<(), CompileError> {
        self.loop_depth += 1;
        let result = self.block(body);
        self.loop_depth -= 1;
        result
    }

    fn target(&mut self, target: &Expr) {
        match &target.kind {
            ExprKind::Name(name) => self.bind(name),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().for_each(|i| self.target(i));
            }
            _ => self.expr(target),
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(name) => {
                self.mark(name, USE);
                self.uses.push((name.clone(), e.span));
            }
            ExprKind::Constant(_) => {}
            ExprKind::BoolOp { values: items, .. }
            | ExprKind::Tuple(items)
            | ExprKind::List(items) => items.iter().for_each(|i| self.expr(i)),
            ExprKind::BinOp { left, right, .. } => {
                self.expr(left);
                self.expr(right);
            }
            ExprKind::UnaryOp { operand, .. } => self.expr(operand),
            ExprKind::Compare {
                left, comparators, ..
            } => {
                self.expr(left);
                comparators.iter().for_each(|c| self.expr(c));
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test);
                self.expr(body);
                self.expr(orelse);
            }
            ExprKind::Call {
                func,
                args,
                keywords,
            } => {
                self.expr(func);
                args.iter().for_each(|a| self.expr(a));
                keywords.iter().for_each(|k| self.expr(&k.value));
            }
            ExprKind::Attribute { value, .. } => self.expr(value),
            ExprKind::Subscript { value, index } => {
                self.expr(value);
                self.expr(index);
            }
            ExprKind::Dict(pairs) => pairs.iter().for_each(|(k, v)| {
                if let Some(k) = k {
                    self.expr(k);
                }
                self.expr(v);
            }),
            // The complete grammar's expressions arrive with their scopes in the next issue.
            _ => {}
        }
    }
}
