//! Module loading. In: a verified `Loaded` image. Out: a module record: constants
//! materialised once (big ints, bytes, tuples on the heap; strs interned), identifiers
//! interned, an empty globals dict with `__name__`; then the body runs as a frame.

use alloc::rc::Rc;
use alloc::vec::Vec;
use num_bigint::BigInt;

use super::{Frame, Machine, ModuleRec};
use crate::image::{Loaded, LoadedConst};
use crate::port::Port;
use crate::types::bytes::Bytes;
use crate::types::dict::Dict;
use crate::types::obj::{Ctx, vec_with};
use crate::types::{Obj, PyErr, PyResult, TypeId, dict_methods, int};
use crate::value::Value;

impl Machine {
    /// Registers a loaded image as module `name`; returns its index in the module table.
    pub fn load_module(&mut self, loaded: Loaded, name: &str) -> PyResult<u16> {
        let globals = self.alloc(Obj::Dict(Dict::new()))?;
        let idx = self.load_module_into(loaded, globals)?;
        let name_v = Value::str(self.store.strs.intern(name));
        let key = Value::str(self.store.strs.intern("__name__"));
        dict_methods::setitem(self, globals, key, name_v)?;
        Ok(idx)
    }

    /// Registers a loaded image whose body runs in an existing globals dict (imports, exec);
    /// returns its index in the module table.
    pub fn load_module_into(&mut self, loaded: Loaded, globals: Value) -> PyResult<u16> {
        let loaded = Rc::new(loaded);
        let mut name_ids = vec_with(loaded.names.len())?;
        for span in &loaded.names {
            name_ids.push(self.store.strs.intern_image(&loaded.bytes, span));
        }
        let idx = self.modules.len();
        if idx > usize::from(u16::MAX) {
            return Err(PyErr::new(TypeId::RuntimeError, "too many modules loaded"));
        }
        self.modules.push(ModuleRec {
            loaded: loaded.clone(),
            consts: Vec::new(),
            name_ids,
            globals,
        });
        for i in 0..loaded.consts.len() {
            let v = self.materialise_const(&loaded, i)?;
            if let Some(m) = self.modules.get_mut(idx) {
                m.consts.push(v);
            }
        }
        Ok(idx as u16)
    }

    fn materialise_const(&mut self, loaded: &Loaded, i: usize) -> PyResult<Value> {
        let Some(c) = loaded.consts.get(i) else {
            return Ok(Value::NONE);
        };
        Ok(match c {
            LoadedConst::None => Value::NONE,
            LoadedConst::False => Value::FALSE,
            LoadedConst::True => Value::TRUE,
            LoadedConst::Ellipsis => Value::ELLIPSIS,
            LoadedConst::Int(x) => int::from_i64(self, *x)?,
            LoadedConst::BigInt(span) => {
                int::from_big(self, BigInt::from_signed_bytes_le(loaded.slice(span)))?
            }
            LoadedConst::Float(f) => Value::float(*f),
            LoadedConst::Complex(re, im) => crate::types::complex::new(self, *re, *im)?,
            LoadedConst::Str(span) => Value::str(self.store.strs.intern_image(&loaded.bytes, span)),
            LoadedConst::Bytes(span) => self.alloc(Obj::Bytes(Bytes::Image(
                loaded.bytes.clone(),
                span.start,
                span.end,
            )))?,
            LoadedConst::Tuple(items) => {
                if items.is_empty() {
                    return Ok(self.store.empty_tuple);
                }
                let mut out = vec_with(items.len())?;
                let consts = self.modules.last().map(|m| &m.consts);
                for k in items {
                    out.push(
                        consts
                            .and_then(|c| c.get(*k as usize))
                            .copied()
                            .unwrap_or(Value::NONE),
                    );
                }
                self.alloc(Obj::Tuple(out))?
            }
        })
    }

    /// Runs module `m`'s body to completion.
    pub fn run_module(&mut self, port: &mut dyn Port, m: u16) -> PyResult<()> {
        self.run_module_value(port, m).map(|_| ())
    }

    /// Runs module `m`'s body; gives what it returned (an `eval` body returns its value).
    pub fn run_module_value(&mut self, port: &mut dyn Port, m: u16) -> PyResult<Value> {
        let (globals, n_locals, stack_size) = {
            let rec = self
                .modules
                .get(usize::from(m))
                .ok_or(PyErr::new(TypeId::ImportError, "module not loaded"))?;
            let code = rec.loaded.code.first();
            (
                rec.globals,
                code.map_or(0, |c| usize::from(c.n_locals)),
                code.map_or(0, |c| usize::from(c.stack_size)),
            )
        };
        let base = self.stack.len();
        if base + n_locals + stack_size > self.stack.capacity()
            || self.frames.len() >= self.config.max_frames
        {
            return Err(self.recursion_error());
        }
        self.stack.resize(base + n_locals, Value::NULL);
        self.frames.push(Frame {
            module: m,
            code: 0,
            pc: 0,
            next: 0,
            base,
            sp0: base + n_locals,
            ret: base,
            globals,
            kind: super::FrameKind::Plain,
        });
        let stop = self.frames.len() - 1;
        self.run(port, stop)
    }
}
