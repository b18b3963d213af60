//! Test support shared by the test binaries in `tests/tests/`.

pub mod images;
pub mod rng;
