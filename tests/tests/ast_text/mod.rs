//! The AST as compact S-expressions, for tests. In: `ast::Module`, `Stmt` or `Expr`. Out: text
//! such as `(= a b 1)` or `(- (** 2 2))` that shows shape and values, but not spans.

use frost_compiler::ast::{Constant, Expr, ExprKind, Stmt, StmtKind};

/// Every statement, one per line.
pub fn module(body: &[Stmt]) -> String {
    body.iter().map(stmt).collect::<Vec<_>>().join("\n")
}

pub fn stmt(s: &Stmt) -> String {
    match &s.kind {
        // The complete grammar's statements get their printed forms with the parser work.
        other @ (StmtKind::ClassDef(_) | StmtKind::Nonlocal(_) | StmtKind::With { .. }) => {
            format!("{other:?}")
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
        StmtKind::FunctionDef(f) => {
            let params: Vec<String> = f
                .params
                .iter()
                .map(|p| {
                    let mut s = p.name.name.clone();
                    if let Some(a) = &p.annotation {
                        s = format!("{s}:{}", expr(a));
                    }
                    if let Some(d) = &p.default {
                        s = format!("{s}={}", expr(d));
                    }
                    s
                })
                .collect();
            format!(
                "(def {} ({}){} {})",
                f.name.name,
                params.join(" "),
                f.returns
                    .as_ref()
                    .map_or(String::new(), |r| format!(" -> {}", expr(r))),
                block(&f.body)
            )
        }
        StmtKind::Return(v) => format!("(return{})", opt(v.as_ref())),
        StmtKind::If { test, body, orelse } => {
            format!("(if {} {} {})", expr(test), block(body), block(orelse))
        }
        StmtKind::While { test, body, orelse } => {
            format!("(while {} {} {})", expr(test), block(body), block(orelse))
        }
        StmtKind::For {
            is_async: _,
            target,
            iter,
            body,
            orelse,
        } => format!(
            "(for {} {} {} {})",
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
        // The complete grammar's expressions get their printed forms with the parser work.
        other @ (ExprKind::Set(_)
        | ExprKind::Starred(_)
        | ExprKind::Slice { .. }
        | ExprKind::Lambda { .. }
        | ExprKind::NamedExpr { .. }
        | ExprKind::ListComp { .. }
        | ExprKind::SetComp { .. }
        | ExprKind::DictComp { .. }
        | ExprKind::GeneratorExp { .. }
        | ExprKind::Yield(_)
        | ExprKind::YieldFrom(_)
        | ExprKind::Await(_)
        | ExprKind::JoinedStr(_)
        | ExprKind::FormattedValue { .. }) => format!("{other:?}"),
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
            parts.extend(keywords.iter().map(|k| match &k.arg {
                Some(arg) => format!("{}={}", arg.name, expr(&k.value)),
                None => format!("**{}", expr(&k.value)),
            }));
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
