//! npm packages the tests use (Prism, the spec corpus), installed at the versions a
//! checked-in `package-lock.json` pins, into a folder of `target/tools/`, never globally.

use std::fs;
use std::path::Path;
use std::process::Command;

/// Installs the packages `pins/package-lock.json` names into `dir` with `npm ci`: once, and
/// again when the lock file changes (the lock installed last is kept beside them).
pub fn install(pins: &Path, dir: &Path) -> Result<(), String> {
    let lock_path = pins.join("package-lock.json");
    let lock = fs::read_to_string(&lock_path).map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let stamp = dir.join("installed-from.json");
    if dir.join("node_modules").is_dir() && fs::read_to_string(&stamp).ok().as_deref() == Some(lock.as_str()) {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for file in ["package.json", "package-lock.json"] {
        fs::copy(pins.join(file), dir.join(file)).map_err(|e| format!("cannot copy {file}: {e}"))?;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run npm ({e}): Node.js and npm are needed to install {}", pins.display()))?;
    if !status.success() {
        return Err(format!("`npm ci` in {} failed ({status})", dir.display()));
    }
    fs::write(&stamp, lock).map_err(|e| e.to_string())
}
