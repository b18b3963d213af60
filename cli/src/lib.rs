//! The `frost` command as a library, so tests drive it in process.
