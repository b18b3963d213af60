//! Closures. In: MAKE_FUNCTION with its flags, and the deref instructions (LOAD_DEREF,
//! STORE_DEREF, DELETE_DEREF, LOAD_CLOSURE, LOAD_CLASSDEREF). Out: function objects carrying
//! defaults, keyword-only defaults and a closure tuple; cell contents read and written in the
//! frame's deref slots (cells first, then free variables; see `bind`).

use alloc::format;
use alloc::string::String;

use super::bind::locals_len;
use super::{Frame, FrameKind, Machine};
use crate::image::{Loaded, LoadedCode};
use crate::types::function::Function;
use crate::types::obj::{Ctx, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods};
use crate::value::Value;

/// MAKE_FUNCTION flag: a tuple of positional defaults is on the stack.
const FLAG_DEFAULTS: u32 = 1;
/// MAKE_FUNCTION flag: a dict of keyword-only defaults is on the stack.
const FLAG_KWDEFAULTS: u32 = 2;
/// MAKE_FUNCTION flag: a tuple of cells is on the stack.
const FLAG_CLOSURE: u32 = 4;

impl Machine {
    /// MAKE_FUNCTION: [defaults?, kwdefaults?, closure?] -> [function].
    pub(super) fn make_function(
        &mut self,
        frame: Frame,
        loaded: &Loaded,
        code: u32,
        flags: u32,
    ) -> PyResult<()> {
        let n_args = (flags & 7).count_ones() as usize;
        let at = self.stack.len().saturating_sub(n_args);
        let mut operands = self.stack.get(at..).unwrap_or(&[]).iter().copied();
        let mut take = |bit: u32| {
            if flags & bit != 0 {
                operands.next().unwrap_or(Value::NULL)
            } else {
                Value::NULL
            }
        };
        let (defaults_v, kwdefaults, closure) = (
            take(FLAG_DEFAULTS),
            take(FLAG_KWDEFAULTS),
            take(FLAG_CLOSURE),
        );
        let given: &[Value] = if defaults_v.is_null() {
            &[]
        } else {
            self.store.seq_of(defaults_v).unwrap_or(&[])
        };
        let c = loaded
            .code
            .get(code as usize)
            .ok_or(PyErr::new(TypeId::RuntimeError, "bad code index"))?;
        if given.len() > usize::from(c.n_params) {
            return Err(PyErr::type_error("more defaults than parameters".into()));
        }
        let mut defaults = vec_with(given.len())?;
        defaults.extend_from_slice(given);
        let name_text = String::from(loaded.name(c.name));
        let name = Value::str(self.store.strs.intern(&name_text));
        let f = self.alloc(Obj::Function(Function {
            module: frame.module,
            code,
            name,
            globals: self.frame_globals(frame),
            defaults,
            kwdefaults,
            closure,
        }))?;
        self.stack.truncate(at);
        self.push(f);
        Ok(())
    }

    /// The globals of code running in `frame` (a class body's frame keeps its function's).
    fn frame_globals(&self, frame: Frame) -> Value {
        frame.globals
    }

    /// Stack index of deref slot `idx` of `frame`.
    fn deref_slot(&self, frame: Frame, loaded: &Loaded, idx: u32) -> PyResult<usize> {
        let code = loaded
            .code
            .get(frame.code as usize)
            .ok_or(PyErr::new(TypeId::RuntimeError, "bad frame"))?;
        if idx as usize >= code.cellvars.len() + code.freevars.len() {
            return Err(PyErr::new(TypeId::RuntimeError, "bad deref index"));
        }
        Ok(frame.base + locals_len(code) + idx as usize)
    }

    /// The cell in deref slot `idx`.
    fn cell(&self, frame: Frame, loaded: &Loaded, idx: u32) -> PyResult<Value> {
        let slot = self.deref_slot(frame, loaded, idx)?;
        Ok(self.stack.get(slot).copied().unwrap_or(Value::NULL))
    }

    /// LOAD_DEREF: the contents of the cell, or the error for an empty one.
    pub(super) fn load_deref(&mut self, frame: Frame, loaded: &Loaded, idx: u32) -> PyResult<()> {
        let cell = self.cell(frame, loaded, idx)?;
        match self.store.obj(cell) {
            Some(Obj::Cell(v)) if !v.is_null() => {
                let v = *v;
                self.push(v);
                Ok(())
            }
            _ => Err(empty_cell(loaded, frame, idx)),
        }
    }

    /// STORE_DEREF: [v] -> [].
    pub(super) fn store_deref(&mut self, frame: Frame, loaded: &Loaded, idx: u32) -> PyResult<()> {
        let cell = self.cell(frame, loaded, idx)?;
        let v = self.pop();
        if let Some(Obj::Cell(slot)) = self.store.obj_mut(cell) {
            *slot = v;
        }
        Ok(())
    }

    /// DELETE_DEREF: empties the cell (an empty one is an error).
    pub(super) fn delete_deref(&mut self, frame: Frame, loaded: &Loaded, idx: u32) -> PyResult<()> {
        let cell = self.cell(frame, loaded, idx)?;
        match self.store.obj_mut(cell) {
            Some(Obj::Cell(slot)) if !slot.is_null() => {
                *slot = Value::NULL;
                Ok(())
            }
            _ => Err(empty_cell(loaded, frame, idx)),
        }
    }

    /// LOAD_CLOSURE: pushes the cell itself.
    pub(super) fn load_closure(&mut self, frame: Frame, loaded: &Loaded, idx: u32) -> PyResult<()> {
        let cell = self.cell(frame, loaded, idx)?;
        self.push(cell);
        Ok(())
    }

    /// LOAD_CLASSDEREF: the class namespace's binding of the free variable's name, else the
    /// cell's contents.
    pub(super) fn load_classderef(
        &mut self,
        frame: Frame,
        loaded: &Loaded,
        module: usize,
        idx: u32,
    ) -> PyResult<()> {
        if frame.kind == FrameKind::ClassBody
            && let Some(code) = loaded.code.get(frame.code as usize)
            && let Some(name_idx) = deref_name(code, idx)
        {
            let name = self.name_value(module, name_idx);
            let ns = self.namespace(frame);
            if let Some(v) = dict_methods::lookup(&self.store, ns, name)? {
                self.push(v);
                return Ok(());
            }
        }
        self.load_deref(frame, loaded, idx)
    }

    /// The dict LOAD_NAME/STORE_NAME use in `frame`: a class body's namespace, else globals.
    pub(super) fn namespace(&self, frame: Frame) -> Value {
        if frame.kind == FrameKind::ClassBody {
            return frame
                .base
                .checked_sub(1)
                .and_then(|i| self.stack.get(i))
                .copied()
                .unwrap_or(frame.globals);
        }
        frame.globals
    }
}

/// Name index of deref slot `idx`.
fn deref_name(code: &LoadedCode, idx: u32) -> Option<u32> {
    let i = idx as usize;
    code.cellvars
        .get(i)
        .or_else(|| code.freevars.get(i.checked_sub(code.cellvars.len())?))
        .copied()
}

/// The error for reading or deleting an empty cell, in CPython 3.11's words.
fn empty_cell(loaded: &Loaded, frame: Frame, idx: u32) -> PyErr {
    let Some(code) = loaded.code.get(frame.code as usize) else {
        return PyErr::new(
            TypeId::NameError,
            "free variable referenced before assignment",
        );
    };
    let name = deref_name(code, idx).map_or("?", |n| loaded.name(n));
    if (idx as usize) < code.cellvars.len() {
        return PyErr::fmt(
            TypeId::UnboundLocalError,
            format!(
                "cannot access local variable '{name}' where it is not associated with a value"
            ),
        );
    }
    PyErr::fmt(
        TypeId::NameError,
        format!(
            "cannot access free variable '{name}' where it is not associated with a value in \
             enclosing scope"
        ),
    )
}
