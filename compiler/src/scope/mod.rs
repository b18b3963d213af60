//! Scope analysis, with CPython 3.11 `symtable` semantics. In: the folded `ast::Module`. Out: a
//! `SymbolTable` with one `Scope` per module, function, lambda, class body and comprehension,
//! marking every name Local, Cell, Free, GlobalExplicit or GlobalImplicit, with each function's
//! fast slots (parameters first) and its cell and free variable tables. Also the SyntaxErrors
//! of misplaced `global`/`nonlocal`/`return`/`break`/`continue`/`yield`/`await` and of walrus
//! targets in comprehensions, with CPython's messages. Next: `codegen`.
//!
//! - `visit`: one walk over the tree recording, per scope, how each name occurs (symtable.c's
//!   visitor), statements there and expressions in `expr`;
//! - `resolve`: deciding each name's binding from those flags and the enclosing scopes
//!   (symtable.c's `analyze_block`).

mod expr;
mod resolve;
mod visit;

use std::collections::BTreeMap;

use crate::ast::{ClassDef, Expr, FunctionDef, Module};
use crate::diag::CompileError;

/// What kind of code a scope compiles to.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ScopeKind {
    /// The module body: name operations.
    Module,
    /// A function, lambda or comprehension: fast locals, cells, globals.
    Function,
    /// A class body: name operations in the class namespace; never encloses its methods.
    Class,
}

/// Where a name lives, seen from one scope.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Binding {
    /// Bound here and used by no nested scope.
    Local,
    /// Bound here and captured by a nested scope: lives in a cell.
    Cell,
    /// Bound in an enclosing function: reached through the closure.
    Free,
    /// Declared `global` here.
    GlobalExplicit,
    /// Not bound in any enclosing function: a module global or a builtin.
    GlobalImplicit,
}

/// The names of one scope.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    /// The code object's name: the function's, `<lambda>`, `<listcomp>`, the class's, ...
    pub name: String,
    /// The dotted path CPython gives `__qualname__` (`outer.<locals>.Inner`).
    pub qualname: String,
    /// A list/set/dict comprehension or generator expression (one implicit parameter `.0`).
    pub is_comprehension: bool,
    /// The body contains `yield` or `yield from` (or it is a generator expression).
    pub is_generator: bool,
    /// `async def`, or a comprehension that awaits.
    pub is_coroutine: bool,
    /// Fast slots in order: the parameters, then the other locals by first binding.
    pub locals: Vec<String>,
    /// Names living in cells created by this scope, sorted (deref slots `0..`).
    pub cellvars: Vec<String>,
    /// Names taken from the closure, sorted (deref slots after the cells).
    pub freevars: Vec<String>,
    bindings: BTreeMap<String, Binding>,
    slots: BTreeMap<String, u32>,
}

impl Scope {
    /// How `name` is reached from this scope; a name never seen here is an implicit global.
    pub fn binding(&self, name: &str) -> Binding {
        self.bindings
            .get(name)
            .copied()
            .unwrap_or(Binding::GlobalImplicit)
    }

    /// The fast slot of a local (or of a parameter, even one that lives in a cell).
    pub fn local_idx(&self, name: &str) -> Option<u32> {
        self.slots.get(name).copied()
    }

    /// The deref slot of a cell or free variable: cells first, then free variables.
    pub fn deref_idx(&self, name: &str) -> Option<u32> {
        if let Some(i) = self.cellvars.iter().position(|c| c == name) {
            return u32::try_from(i).ok();
        }
        let i = self.freevars.iter().position(|f| f == name)?;
        u32::try_from(self.cellvars.len() + i).ok()
    }
}

/// Every scope of a module. Nested scopes are looked up by their AST node, which codegen
/// reaches through the same borrowed tree the analysis walked.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SymbolTable {
    scopes: Vec<Scope>,
    /// Address of the defining node (FunctionDef, ClassDef, or the Lambda/comprehension
    /// Expr) to index in `scopes`. Used for lookups only, so addresses never reach the image.
    by_node: BTreeMap<usize, usize>,
}

impl SymbolTable {
    /// The module body's scope.
    pub fn module(&self) -> Option<&Scope> {
        self.scopes.first()
    }

    /// The scope of a `def`.
    pub fn function(&self, def: &FunctionDef) -> Option<&Scope> {
        self.by_node(node_key(def))
    }

    /// The scope of a class body.
    pub fn class(&self, def: &ClassDef) -> Option<&Scope> {
        self.by_node(node_key(def))
    }

    /// The scope of a lambda or comprehension expression.
    pub fn expr(&self, e: &Expr) -> Option<&Scope> {
        self.by_node(node_key(e))
    }

    fn by_node(&self, key: usize) -> Option<&Scope> {
        self.by_node.get(&key).and_then(|&i| self.scopes.get(i))
    }
}

/// Identity of an AST node for the lifetime of the borrowed tree.
fn node_key<T>(node: &T) -> usize {
    std::ptr::from_ref(node) as usize
}

/// Analyses the module and every scope nested in it.
pub fn analyze(module: &Module) -> Result<SymbolTable, CompileError> {
    let blocks = visit::visit(module)?;
    resolve::resolve(blocks)
}
