//! The AST as compact S-expressions, for tests. In: `ast::Module`, `Stmt` or `Expr`. Out: text
//! such as `(= a b 1)` or `(- (** 2 2))` that shows shape and values, but not spans.

use frost_compiler::ast::{
    Comprehension, Constant, Expr, ExprKind, Keyword, Parameters, Stmt, StmtKind,
};

/// Every statement, one per line.
pub fn module(body: &[Stmt]) -> String {
    body.iter().map(stmt).collect::<Vec<_>>().join("\n")
}

pub fn stmt(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::ClassDef(c) => {
            let mut parts: Vec<String> = c.bases.iter().map(expr).collect();
            parts.extend(c.keywords.iter().map(keyword));
            format!(
                "(class {}{} ({}) {})",
                decorators(&c.decorators),
                c.name.name,
                parts.join(" "),
                block(&c.body)
            )
        }
        StmtKind::Nonlocal(names) => {
            let names: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
            format!("(nonlocal {})", names.join(" "))
        }
        StmtKind::With {
            is_async,
            items,
            body,
        } => {
            let items: Vec<String> = items
                .iter()
                .map(|i| match &i.target {
                    Some(t) => format!("{} as {}", expr(&i.context), expr(t)),
                    None => expr(&i.context),
                })
                .collect();
            format!(
                "({}with [{}] {})",
                if *is_async { "async-" } else { "" },
                items.join(", "),
                block(body)
            )
        }
        StmtKind::Expr(e) => expr(e),
        StmtKind::Assign { targets, value } => {
            let mut parts: Vec<String> = targets.iter().map(expr).collect();
            parts.push(expr(value));
            format!("(= {})", parts.join(" "))
        }
        StmtKind::AugAssign { target, op, value } => {
            format!("({}= {} {})", op.symbol(), expr(target), expr(value))
        }
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
        } => format!(
            "(: {} {}{})",
            expr(target),
            expr(annotation),
            opt(value.as_ref())
        ),
        StmtKind::FunctionDef(f) => format!(
            "({}def {}{} ({}){} {})",
            if f.is_async { "async-" } else { "" },
            decorators(&f.decorators),
            f.name.name,
            params(&f.params),
            f.returns
                .as_ref()
                .map_or(String::new(), |r| format!(" -> {}", expr(r))),
            block(&f.body)
        ),
        StmtKind::Return(v) => format!("(return{})", opt(v.as_ref())),
        StmtKind::If { test, body, orelse } => {
            format!("(if {} {} {})", expr(test), block(body), block(orelse))
        }
        StmtKind::While { test, body, orelse } => {
            format!("(while {} {} {})", expr(test), block(body), block(orelse))
        }
        StmtKind::For {
            is_async,
            target,
            iter,
            body,
            orelse,
        } => format!(
            "({}for {} {} {} {})",
            if *is_async { "async-" } else { "" },
            expr(target),
            expr(iter),
            block(body),
            block(orelse)
        ),
        StmtKind::Break => "break".into(),
        StmtKind::Continue => "continue".into(),
        StmtKind::Pass => "pass".into(),
        StmtKind::Global(names) => {
            let names: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
            format!("(global {})", names.join(" "))
        }
        StmtKind::Delete(targets) => format!("(del {})", list(targets)),
        StmtKind::Assert { test, msg } => format!("(assert {}{})", expr(test), opt(msg.as_ref())),
        StmtKind::Raise { exc, cause } => {
            format!("(raise{}{})", opt(exc.as_ref()), opt(cause.as_ref()))
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            let handlers: Vec<String> = handlers
                .iter()
                .map(|h| {
                    format!(
                        "(except{}{} {})",
                        opt(h.type_.as_ref()),
                        h.name
                            .as_ref()
                            .map_or(String::new(), |n| format!(" as {}", n.name)),
                        block(&h.body)
                    )
                })
                .collect();
            format!(
                "(try {} {} {} {})",
                block(body),
                handlers.join(" "),
                block(orelse),
                block(finalbody)
            )
        }
        StmtKind::Import(names) => format!("(import {})", aliases(names)),
        StmtKind::ImportFrom {
            module,
            names,
            level,
        } => format!(
            "(from {}{} {})",
            ".".repeat(*level as usize),
            module.as_ref().map_or("", |m| m.name.as_str()),
            aliases(names)
        ),
    }
}

pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Set(items) => format!("(set {})", list(items)),
        ExprKind::Starred(v) => format!("(* {})", expr(v)),
        ExprKind::Slice { lower, upper, step } => {
            let part = |p: &Option<Box<Expr>>| p.as_deref().map_or("_".to_string(), expr);
            format!("(slice {} {} {})", part(lower), part(upper), part(step))
        }
        ExprKind::Lambda { params: p, body } => format!("(lambda ({}) {})", params(p), expr(body)),
        ExprKind::NamedExpr { target, value } => format!("(:= {} {})", expr(target), expr(value)),
        ExprKind::ListComp { elt, generators } => {
            format!("(listcomp {}{})", expr(elt), comprehensions(generators))
        }
        ExprKind::SetComp { elt, generators } => {
            format!("(setcomp {}{})", expr(elt), comprehensions(generators))
        }
        ExprKind::GeneratorExp { elt, generators } => {
            format!("(genexp {}{})", expr(elt), comprehensions(generators))
        }
        ExprKind::DictComp {
            key,
            value,
            generators,
        } => format!(
            "(dictcomp {}:{}{})",
            expr(key),
            expr(value),
            comprehensions(generators)
        ),
        ExprKind::Yield(v) => format!("(yield{})", opt(v.as_deref())),
        ExprKind::YieldFrom(v) => format!("(yield-from {})", expr(v)),
        ExprKind::Await(v) => format!("(await {})", expr(v)),
        ExprKind::JoinedStr(parts) => format!("(f {})", list(parts)),
        ExprKind::FormattedValue {
            value,
            conversion,
            format_spec,
        } => format!(
            "(fv {}{}{})",
            expr(value),
            conversion.map_or(String::new(), |c| format!(" !{c}")),
            opt(format_spec.as_deref())
        ),
        ExprKind::Constant(c) => constant(c),
        ExprKind::BoolOp { op, values } => format!("({:?} {})", op, list(values)),
        ExprKind::BinOp { left, op, right } => {
            format!("({} {} {})", op.symbol(), expr(left), expr(right))
        }
        ExprKind::UnaryOp { op, operand } => format!("({} {})", op.symbol(), expr(operand)),
        ExprKind::Compare {
            left,
            ops,
            comparators,
        } => {
            let mut s = format!("(cmp {}", expr(left));
            for (op, c) in ops.iter().zip(comparators) {
                s = format!("{s} {} {}", op.symbol(), expr(c));
            }
            s + ")"
        }
        ExprKind::IfExp { test, body, orelse } => {
            format!("(ifexp {} {} {})", expr(test), expr(body), expr(orelse))
        }
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            let mut parts: Vec<String> = args.iter().map(expr).collect();
            parts.extend(keywords.iter().map(keyword));
            format!("(call {} {})", expr(func), parts.join(" "))
        }
        ExprKind::Attribute { value, attr } => format!("(. {} {})", expr(value), attr.name),
        ExprKind::Subscript { value, index } => format!("([] {} {})", expr(value), expr(index)),
        ExprKind::Tuple(items) => format!("(tuple {})", list(items)),
        ExprKind::List(items) => format!("(list {})", list(items)),
        ExprKind::Dict(pairs) => {
            let pairs: Vec<String> = pairs
                .iter()
                .map(|(k, v)| match k {
                    Some(k) => format!("{}:{}", expr(k), expr(v)),
                    None => format!("**{}", expr(v)),
                })
                .collect();
            format!("(dict {})", pairs.join(" "))
        }
    }
}

fn constant(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::True => "True".into(),
        Constant::False => "False".into(),
        Constant::Ellipsis => "...".into(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(f) => format!("{f:?}"),
        Constant::Complex(re, im) => format!("complex({re:?}, {im:?})"),
        Constant::Str(s) => format!("{s:?}"),
        Constant::Bytes(b) => format!("b\"{}\"", b.escape_ascii()),
        Constant::Tuple(items) => {
            let items: Vec<String> = items.iter().map(constant).collect();
            format!("(const-tuple {})", items.join(" "))
        }
    }
}

fn block(body: &[Stmt]) -> String {
    let stmts: Vec<String> = body.iter().map(stmt).collect();
    format!("[{}]", stmts.join(" "))
}

fn list(items: &[Expr]) -> String {
    items.iter().map(expr).collect::<Vec<_>>().join(" ")
}

fn opt(e: Option<&Expr>) -> String {
    e.map_or(String::new(), |e| format!(" {}", expr(e)))
}

fn aliases(names: &[frost_compiler::ast::Alias]) -> String {
    let names: Vec<String> = names
        .iter()
        .map(|a| match &a.asname {
            Some(asname) => format!("{} as {}", a.name.name, asname.name),
            None => a.name.name.clone(),
        })
        .collect();
    names.join(", ")
}

fn keyword(k: &Keyword) -> String {
    match &k.arg {
        Some(arg) => format!("{}={}", arg.name, expr(&k.value)),
        None => format!("**{}", expr(&k.value)),
    }
}

fn decorators(ds: &[Expr]) -> String {
    ds.iter().map(|d| format!("@{} ", expr(d))).collect()
}

/// Parameters in source order: `a b=1 *args c **kw`, a bare `*` before keyword-only ones.
fn params(p: &Parameters) -> String {
    let one = |p: &frost_compiler::ast::Param| {
        let mut s = p.name.name.clone();
        if let Some(a) = &p.annotation {
            s = format!("{s}:{}", expr(a));
        }
        if let Some(d) = &p.default {
            s = format!("{s}={}", expr(d));
        }
        s
    };
    let mut parts: Vec<String> = p.args.iter().map(one).collect();
    match &p.vararg {
        Some(v) => parts.push(format!("*{}", one(v))),
        None if !p.kwonly.is_empty() => parts.push("*".into()),
        None => {}
    }
    parts.extend(p.kwonly.iter().map(one));
    if let Some(k) = &p.kwarg {
        parts.push(format!("**{}", one(k)));
    }
    parts.join(" ")
}

fn comprehensions(generators: &[Comprehension]) -> String {
    generators
        .iter()
        .map(|g| {
            let ifs: String = g.ifs.iter().map(|i| format!(" (if {})", expr(i))).collect();
            format!(
                " ({}for {} {}{})",
                if g.is_async { "async-" } else { "" },
                expr(&g.target),
                expr(&g.iter),
                ifs
            )
        })
        .collect()
}
