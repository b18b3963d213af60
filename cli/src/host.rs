//! The host side of the runtime's `Host` hook (DESIGN.md decision 12). In: module lookups on
//! `sys.path` and source text from `exec`/`eval`/`compile`. Out: images from the compiler (a
//! `.py` compiled at the VM's current opt level) or read from `.fbc` files, and compile errors
//! as `CompileFailure`s the VM raises as SyntaxError.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use frost_compiler::{CompileError, Options};
use frost_runtime::host::{CompileFailure, Found, Host, HostError, Mode};
use frost_runtime::image::{ImageBytes, MAGIC};

/// The compiler and the file system, as the VM's host.
#[derive(Clone, Debug)]
pub struct CompilerHost {
    /// `-X no-source-lines` applies to modules and strings compiled at run time too.
    source_lines: bool,
}

impl CompilerHost {
    /// A host that keeps line tables unless `source_lines` is false.
    pub fn new(source_lines: bool) -> CompilerHost {
        CompilerHost { source_lines }
    }

    fn options(&self, source_name: &str, opt_level: u8) -> Options {
        Options {
            source_name: source_name.replace('\\', "/"),
            opt_level,
            source_lines: self.source_lines,
        }
    }

    /// Reads one candidate file: an image as is, source compiled.
    fn load(&self, file: &Path, opt_level: u8) -> Result<Vec<u8>, HostError> {
        let shown = file.to_string_lossy().into_owned();
        let bytes = std::fs::read(file).map_err(|e| HostError::Other(format!("{shown}: {e}")))?;
        if bytes.starts_with(&MAGIC) {
            return Ok(bytes);
        }
        let source = String::from_utf8(bytes)
            .map_err(|_| HostError::Other(format!("{shown}: source is not valid UTF-8")))?;
        frost_compiler::compile(&source, &self.options(&shown, opt_level))
            .map(|c| c.image)
            .map_err(|e| HostError::Compile(failure(&e, &shown, &source)))
    }
}

impl Host for CompilerHost {
    fn find_module(
        &mut self,
        name: &str,
        dirs: &[String],
        opt_level: u8,
    ) -> Result<Option<Found>, HostError> {
        // A directory without `__init__` is a namespace package, used only when no directory
        // on the path has a regular package or module of that name (CPython's order).
        let mut namespace = None;
        for dir in dirs {
            let base = PathBuf::from(dir);
            let package = base.join(name);
            let candidates = [
                (package.join("__init__.py"), true),
                (package.join("__init__.fbc"), true),
                (base.join(format!("{name}.py")), false),
                (base.join(format!("{name}.fbc")), false),
            ];
            for (file, is_package) in candidates {
                if !file.is_file() {
                    continue;
                }
                let image = self.load(&file, opt_level)?;
                return Ok(Some(Found {
                    image: ImageBytes::Shared(Rc::from(image)),
                    file: file.to_string_lossy().into_owned(),
                    package_dir: is_package.then(|| package.to_string_lossy().into_owned()),
                }));
            }
            if namespace.is_none() && package.is_dir() {
                namespace = Some(package);
            }
        }
        let Some(package) = namespace else {
            return Ok(None);
        };
        let shown = package.to_string_lossy().into_owned();
        let empty = frost_compiler::compile("", &self.options(&shown, opt_level))
            .map_err(|e| HostError::Other(format!("{shown}: {}", e.message)))?;
        Ok(Some(Found {
            image: ImageBytes::Shared(Rc::from(empty.image)),
            file: String::new(),
            package_dir: Some(shown),
        }))
    }

    fn compile(
        &mut self,
        source: &str,
        filename: &str,
        mode: Mode,
        opt_level: u8,
    ) -> Result<Vec<u8>, CompileFailure> {
        let options = self.options(filename, opt_level);
        let compiled = match mode {
            Mode::Exec => frost_compiler::compile(source, &options),
            Mode::Eval => frost_compiler::compile_eval(source, &options),
        };
        compiled
            .map(|c| c.image)
            .map_err(|e| failure(&e, filename, source))
    }
}

/// A compile error as the VM raises it: message, file and 1-based line.
fn failure(err: &CompileError, filename: &str, source: &str) -> CompileFailure {
    let upto = source.get(..err.span.start as usize).unwrap_or(source);
    let line = upto.bytes().filter(|b| *b == b'\n').count() + 1;
    CompileFailure {
        indentation: matches!(err.kind, "IndentationError" | "TabError"),
        message: err.message.clone(),
        filename: filename.to_string(),
        line: u32::try_from(line).unwrap_or(u32::MAX),
    }
}

/// Installs the host on a VM about to run `frost run`'s file: the compiler, the script's
/// directory first on `sys.path` (`""`, the current directory, for a bare file name), and
/// `sys.argv` = the file as given plus the program's arguments.
pub fn install<P: frost_runtime::Port>(
    vm: &mut frost_runtime::Vm<P>,
    args: &crate::options::RunArgs,
) {
    vm.set_host(Box::new(CompilerHost::new(args.implopts.source_lines())));
    let dir = args
        .file
        .parent()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    vm.set_path(vec![dir]);
    let mut argv = vec![args.file.to_string_lossy().into_owned()];
    argv.extend(args.args.iter().cloned());
    vm.set_argv(argv);
}
