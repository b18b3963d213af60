//! Name resolution. In: the `Block`s of `visit` (flags per name per scope). Out: the
//! `SymbolTable`: every name's `Binding` in every scope, cells and free variables, fast slots.
//! The algorithm is CPython 3.11's `analyze_block`: a scope sees the names bound in enclosing
//! *function* scopes (class bodies pass their enclosing names through but add none of their
//! own); a name a nested scope uses freely becomes a cell where it is bound and free in every
//! scope in between.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::Span;
use crate::diag::CompileError;

use super::visit::{Block, DEF_BOUND, DEF_GLOBAL, DEF_NONLOCAL};
use super::{Binding, Scope, ScopeKind, SymbolTable};

type Names = BTreeSet<String>;

/// Resolves every block; `blocks[0]` is the module.
pub(super) fn resolve(blocks: Vec<Block>) -> Result<SymbolTable, CompileError> {
    let mut scopes: Vec<Option<Scope>> = vec![None; blocks.len()];
    analyze(&blocks, &mut scopes, 0, None, Names::new())?;
    let mut by_node = BTreeMap::new();
    for (i, block) in blocks.iter().enumerate() {
        if let Some(key) = block.key {
            by_node.insert(key, i);
        }
    }
    Ok(SymbolTable {
        scopes: scopes.into_iter().flatten().collect(),
        by_node,
    })
}

/// Analyses block `id` given the names bound in enclosing functions (`None` at module level)
/// and the names declared global around it; returns the names still free after this block.
fn analyze(
    blocks: &[Block],
    out: &mut [Option<Scope>],
    id: usize,
    mut bound: Option<Names>,
    mut global: Names,
) -> Result<Names, CompileError> {
    let Some(block) = blocks.get(id) else {
        return Ok(Names::new());
    };
    let is_class = block.kind == ScopeKind::Class;
    let mut bindings: BTreeMap<String, Binding> = BTreeMap::new();
    let (mut local, mut free) = (Names::new(), Names::new());
    // A class passes on what it was given, before its own names could shadow anything.
    let (mut new_global, mut new_bound) = if is_class {
        (global.clone(), bound.clone().unwrap_or_default())
    } else {
        (Names::new(), Names::new())
    };
    for (name, &flags) in &block.flags {
        let binding = analyze_name(block, name, flags, &mut bound, &mut global)?;
        match binding {
            Binding::Local => {
                local.insert(name.clone());
            }
            Binding::Free => {
                free.insert(name.clone());
            }
            _ => {}
        }
        bindings.insert(name.clone(), binding);
    }
    if !is_class {
        if block.kind == ScopeKind::Function {
            new_bound.extend(local.iter().cloned());
        }
        if let Some(b) = &bound {
            new_bound.extend(b.iter().cloned());
        }
        new_global.extend(global.iter().cloned());
    }
    let mut new_free = Names::new();
    for &child in &block.children {
        let child_free = analyze(
            blocks,
            out,
            child,
            Some(new_bound.clone()),
            new_global.clone(),
        )?;
        new_free.extend(child_free);
    }
    if block.kind == ScopeKind::Function {
        for (name, binding) in bindings.iter_mut() {
            if *binding == Binding::Local && new_free.remove(name) {
                *binding = Binding::Cell;
            }
        }
    }
    // Free names of children: already known here, global, or passing through.
    let mut free_class = Names::new();
    for name in &new_free {
        if let Some(&flags) = block.flags.get(name) {
            if is_class && flags & (DEF_BOUND | DEF_GLOBAL) != 0 {
                free_class.insert(name.clone());
            }
            continue;
        }
        if bound.as_ref().is_some_and(|b| !b.contains(name)) {
            continue;
        }
        bindings.insert(name.clone(), Binding::Free);
    }
    free.extend(new_free);
    if let Some(slot) = out.get_mut(id) {
        *slot = Some(scope(block, bindings, &free_class));
    }
    Ok(free)
}

/// One name's binding in `block` (CPython's `analyze_name`).
fn analyze_name(
    block: &Block,
    name: &str,
    flags: u16,
    bound: &mut Option<Names>,
    global: &mut Names,
) -> Result<Binding, CompileError> {
    let at = || {
        block
            .directives
            .get(name)
            .copied()
            .unwrap_or(Span::default())
    };
    if flags & DEF_GLOBAL != 0 {
        if flags & DEF_NONLOCAL != 0 {
            return Err(CompileError::syntax(
                format!("name '{name}' is nonlocal and global"),
                at(),
            ));
        }
        global.insert(name.to_string());
        if let Some(b) = bound {
            b.remove(name);
        }
        return Ok(Binding::GlobalExplicit);
    }
    if flags & DEF_NONLOCAL != 0 {
        return match bound {
            None => Err(CompileError::syntax(
                "nonlocal declaration not allowed at module level",
                at(),
            )),
            Some(b) if !b.contains(name) => Err(CompileError::syntax(
                format!("no binding for nonlocal '{name}' found"),
                at(),
            )),
            Some(_) => Ok(Binding::Free),
        };
    }
    if flags & DEF_BOUND != 0 {
        global.remove(name);
        return Ok(Binding::Local);
    }
    if bound.as_ref().is_some_and(|b| b.contains(name)) {
        return Ok(Binding::Free);
    }
    Ok(Binding::GlobalImplicit)
}

/// The finished scope: fast slots (parameters first), sorted cell and free tables.
fn scope(block: &Block, bindings: BTreeMap<String, Binding>, free_class: &Names) -> Scope {
    let mut locals: Vec<String> = Vec::new();
    if block.kind == ScopeKind::Function {
        locals.extend(block.params.iter().cloned());
        for name in &block.bind_order {
            let is_local = bindings.get(name) == Some(&Binding::Local);
            if is_local && !block.params.contains(name) {
                locals.push(name.clone());
            }
        }
    }
    let with = |wanted: Binding| -> Names {
        bindings
            .iter()
            .filter(|&(_, &b)| b == wanted)
            .map(|(n, _)| n.clone())
            .collect()
    };
    let cellvars = with(Binding::Cell).into_iter().collect();
    let mut freevars = with(Binding::Free);
    freevars.extend(free_class.iter().cloned());
    let slots = locals
        .iter()
        .zip(0u32..)
        .map(|(l, i)| (l.clone(), i))
        .collect();
    Scope {
        kind: block.kind,
        name: block.name.clone(),
        qualname: block.qualname.clone(),
        is_comprehension: block.comprehension.is_some(),
        is_generator: block.is_generator,
        is_coroutine: block.is_coroutine,
        locals,
        cellvars,
        freevars: freevars.into_iter().collect(),
        bindings,
        slots,
    }
}
