//! Classes. In: a `class` statement and the `Scope` of its body. Out: a class-body code object
//! (CODE_CLASS_BODY: name operations in the class namespace; it first sets `__module__` and
//! `__qualname__` as CPython does) and, in the enclosing code, the decorators, then
//! `__build_class__(body_function, name, *bases, **keywords)`, the decorator calls and the
//! binding of the name.

use frost_runtime::image::{Args, Opcode};

use crate::ast::{ClassDef, Constant, Span};
use crate::diag::CompileError;

use super::FnCompiler;
use super::call::needs_call_ex;
use super::function::Shape;

impl<'a> FnCompiler<'a, '_> {
    /// `@decorators class name(bases, keywords): body`.
    pub(super) fn class_def(&mut self, def: &'a ClassDef, span: Span) -> Result<(), CompileError> {
        use Opcode::*;
        let symbols: &'a crate::scope::SymbolTable = self.unit.symbols;
        let scope = symbols
            .class(def)
            .ok_or_else(|| CompileError::syntax("class missing from scope analysis", span))?;
        let decorators = self.decorators(&def.decorators)?;
        self.op(LOAD_BUILD_CLASS);
        let code_idx = self.compile_code(scope, Shape::default(), def.name.span, |inner| {
            let (module_name, module) =
                (inner.unit.name("__name__"), inner.unit.name("__module__"));
            inner.op1(LOAD_NAME, module_name);
            inner.op1(STORE_NAME, module);
            inner.load_const(&Constant::Str(scope.qualname.clone()));
            let qualname = inner.unit.name("__qualname__");
            inner.op1(STORE_NAME, qualname);
            inner.block(&def.body)?;
            inner.op(LOAD_NONE);
            inner.op(RETURN_VALUE);
            Ok(())
        })?;
        self.set_line(span);
        let flags = if self.closure(scope)? { 4 } else { 0 };
        self.code.emit(MAKE_FUNCTION, Args::Two(code_idx, flags));
        self.load_const(&Constant::Str(def.name.name.clone()));
        if needs_call_ex(&def.bases, &def.keywords) {
            self.call_ex(2, &def.bases, &def.keywords, span)?;
        } else {
            self.plain_call(2, false, &def.bases, &def.keywords, span)?;
        }
        self.apply_decorators(decorators);
        self.store_name(&def.name.name);
        Ok(())
    }
}
