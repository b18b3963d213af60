//! Printing an uncaught exception. In: the exception instance. Out: on stderr,
//! `Traceback (most recent call last):`, one `  File "<name>", line <n>, in <fn>` per entry
//! (outermost first), then `Type: message` (`Type: ` when there are no args, as MicroPython
//! prints it). SystemExit prints nothing and becomes the exit status.

use alloc::string::String;
use core::fmt::Write;

use super::{Machine, RunError};
use crate::port::Port;
use crate::types::object::{repr_into, str_into};
use crate::types::{Obj, TypeId, class};
use crate::value::{Kind, Value};

impl Machine {
    /// Prints `exc` as an uncaught exception and gives the matching `RunError`.
    pub fn report_uncaught(&mut self, port: &mut dyn Port, exc: Value) -> Result<(), RunError> {
        if self.store.type_of(exc).is_subclass(TypeId::SystemExit) {
            return Err(self.system_exit(port, exc));
        }
        let text = self.format_traceback(exc);
        port.write_stderr(text.as_bytes());
        Err(RunError::Exception)
    }

    /// The full traceback text of `exc`.
    pub fn format_traceback(&self, exc: Value) -> String {
        let mut out = String::new();
        let Some(Obj::Exception(e)) = self.store.obj(exc) else {
            out.push_str("Traceback (most recent call last):\n");
            return out;
        };
        out.push_str("Traceback (most recent call last):\n");
        for entry in e.traceback.iter().rev() {
            let Some(m) = self.modules.get(usize::from(entry.module)) else {
                continue;
            };
            let loaded = &m.loaded;
            let line = loaded.line_for(entry.code as usize, entry.pc);
            let name = loaded
                .code
                .get(entry.code as usize)
                .map_or("?", |c| loaded.name(c.name));
            let _ = writeln!(
                out,
                "  File \"{}\", line {line}, in {name}",
                loaded.source_name()
            );
        }
        out.push_str(&crate::types::class_repr::traceback_name(
            &self.store,
            class::class_of(&self.store, exc),
        ));
        out.push_str(": ");
        str_into(&self.store, exc, &mut out);
        out.push('\n');
        out
    }

    fn system_exit(&mut self, port: &mut dyn Port, exc: Value) -> RunError {
        let arg = match self.store.obj(exc) {
            Some(Obj::Exception(e)) => match self.store.seq_of(e.args) {
                Some([one]) => *one,
                _ => Value::NONE,
            },
            _ => Value::NONE,
        };
        match arg.kind() {
            Kind::None => RunError::SystemExit(0),
            Kind::Int(i) => RunError::SystemExit(i as i32),
            Kind::Bool(b) => RunError::SystemExit(i32::from(b)),
            _ => {
                let mut s = String::new();
                if self.store.str_of(arg).is_some() {
                    str_into(&self.store, arg, &mut s);
                } else {
                    repr_into(&self.store, arg, &mut s);
                }
                s.push('\n');
                port.write_stderr(s.as_bytes());
                RunError::SystemExit(1)
            }
        }
    }
}
