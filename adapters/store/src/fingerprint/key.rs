//! The secret that keys command fingerprints, and the file it lives in — never the database.
//!
//! Whoever reads the database (a console, a dump, a stolen backup) must not also hold the key,
//! or the keyed hash is no better than a plain one. So the key is a file of its own: made by
//! the operator (`openssl rand -hex 32`) and named in the configuration, or — for the embedded
//! SQLite default with no configuration — made by the store at its first start beside the
//! database file, with owner-only permissions. Losing it costs little: the records made under
//! it stop matching, so a repeat within the retention window is refused as a reused key, never
//! carried out twice.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::OsRng;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use rectiflow_engine::StoreError;

/// What the SQLite store appends to its database file's name to name the key file it makes
/// beside it (`data/rectiflow.db` → `data/rectiflow.db.fingerprint-key`).
pub const KEY_FILE_SUFFIX: &str = ".fingerprint-key";

/// Key files are 64 hex digits and a newline; anything much longer is not one.
const MAX_FILE_LEN: u64 = 1024;

const FORMAT_HINT: &str =
    "must hold the key as 64 hexadecimal digits (32 bytes), e.g. from `openssl rand -hex 32`";

/// A 32-byte secret keying the fingerprints. Its `Debug` form is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct FingerprintKey([u8; 32]);

impl std::fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FingerprintKey(<redacted>)")
    }
}

/// A key file that cannot be read, made or used; it names the file, never its content.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("fingerprint key file {}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("fingerprint key file {}: {reason}", path.display())]
    Invalid { path: PathBuf, reason: &'static str },
}

impl KeyFileError {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |error| Self::Io {
            path: path.to_owned(),
            error,
        }
    }

    fn is(&self, kind: std::io::ErrorKind) -> bool {
        matches!(self, Self::Io { error, .. } if error.kind() == kind)
    }
}

impl From<KeyFileError> for StoreError {
    fn from(error: KeyFileError) -> Self {
        StoreError::FingerprintKey(error.to_string())
    }
}

impl FingerprintKey {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// A key from its bytes; all zeros (a placeholder, not a secret) is refused.
    pub fn from_bytes(bytes: [u8; 32]) -> Result<Self, &'static str> {
        if bytes == [0u8; 32] {
            return Err("the key is all zeros, a placeholder rather than a secret");
        }
        Ok(Self(bytes))
    }

    /// A key written as 64 hex digits, with surrounding whitespace (a trailing newline).
    pub fn parse_hex(text: &str) -> Result<Self, &'static str> {
        let text = text.trim();
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(FORMAT_HINT);
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).map_err(|_| FORMAT_HINT)?;
        Self::from_bytes(bytes)
    }

    /// Reads the key file at `path`. Warns (but goes on) when others than its owner may read it.
    pub fn read(path: &Path) -> Result<Self, KeyFileError> {
        let file = std::fs::File::open(path).map_err(KeyFileError::io(path))?;
        warn_if_shared(path, &file);
        let mut content = Vec::new();
        file.take(MAX_FILE_LEN + 1)
            .read_to_end(&mut content)
            .map_err(KeyFileError::io(path))?;
        let invalid = |reason| KeyFileError::Invalid {
            path: path.to_owned(),
            reason,
        };
        if content.len() as u64 > MAX_FILE_LEN {
            return Err(invalid(FORMAT_HINT));
        }
        let text = std::str::from_utf8(&content).map_err(|_| invalid(FORMAT_HINT))?;
        Self::parse_hex(text).map_err(invalid)
    }

    /// Makes a new key file at `path` (owner-only on Unix) and returns its key. Fails if the
    /// file exists. Written to a temporary file first and linked into place, so no reader ever
    /// sees a half-written key and a crash leaves none behind.
    pub fn create(path: &Path) -> Result<Self, KeyFileError> {
        let key = Self::generate();
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => PathBuf::from("."),
        };
        let mut nonce = [0u8; 8];
        OsRng.fill_bytes(&mut nonce);
        let mut name = OsString::from(".");
        name.push(path.file_name().unwrap_or_default());
        name.push(format!(".{}.tmp", hex::encode(nonce)));
        let temporary = dir.join(name);
        let written = write_new(&temporary, &format!("{}\n", hex::encode(key.0)))
            .and_then(|()| std::fs::hard_link(&temporary, path).map_err(KeyFileError::io(path)));
        // The temporary name goes whatever happened; the key lives on under `path` if linked.
        let _ = std::fs::remove_file(&temporary);
        written?;
        sync_dir(&dir);
        Ok(key)
    }

    /// The key in the file at `path`, made there first if there is none (see [`Self::create`]).
    pub fn read_or_create(path: &Path) -> Result<Self, KeyFileError> {
        match Self::read(path) {
            Err(error) if error.is(std::io::ErrorKind::NotFound) => match Self::create(path) {
                Ok(key) => {
                    tracing::info!(
                        path = %path.display(),
                        "made a new fingerprint key file; keep it out of database backups"
                    );
                    Ok(key)
                }
                // Another process made it first: theirs is the key.
                Err(error) if error.is(std::io::ErrorKind::AlreadyExists) => Self::read(path),
                Err(error) => Err(error),
            },
            other => other,
        }
    }

    /// Where the SQLite store keeps the key of the database file at `database`.
    pub fn beside(database: &Path) -> PathBuf {
        let mut name = database.as_os_str().to_owned();
        name.push(KEY_FILE_SUFFIX);
        PathBuf::from(name)
    }

    /// The prepared HMAC state of this key.
    pub(super) fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length: this cannot fail for 32 bytes.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of every length"))
    }
}

/// Creates `path` (failing if it exists), owner-only on Unix, writes `content` and syncs it.
fn write_new(path: &Path, content: &str) -> Result<(), KeyFileError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(KeyFileError::io(path))?;
    file.write_all(content.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(KeyFileError::io(path))
}

/// Makes a new directory entry durable (Unix); elsewhere, or if it fails, the file system's
/// own pace will do — the key file is complete either way.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(error) = std::fs::File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!(dir = %dir.display(), %error, "could not sync the key file's folder");
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn warn_if_shared(path: &Path, file: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(metadata) = file.metadata() {
            if metadata.permissions().mode() & 0o077 != 0 {
                tracing::warn!(
                    path = %path.display(),
                    "the fingerprint key file may be read by others than its owner; chmod 600 it"
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (path, file);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_64_hex_digits_and_not_a_placeholder() {
        let hex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
        assert!(FingerprintKey::parse_hex(hex).is_ok());
        assert!(FingerprintKey::parse_hex(&format!("  {hex}\r\n")).is_ok());
        for bad in [
            "",
            &hex[..63],
            &format!("{hex}0"),
            &hex.replace('f', "g"),
            &format!("{} {}", &hex[..32], &hex[32..]),
        ] {
            assert_eq!(FingerprintKey::parse_hex(bad).err(), Some(FORMAT_HINT));
        }
        assert!(FingerprintKey::parse_hex(&"0".repeat(64))
            .is_err_and(|reason| reason.contains("all zeros")));
        assert_eq!(
            format!("{:?}", FingerprintKey::parse_hex(hex)),
            "Ok(FingerprintKey(<redacted>))"
        );
    }

    #[test]
    fn a_bad_key_file_is_a_clear_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("fp.key");
        let missing = FingerprintKey::read(&path).expect_err("no file");
        assert!(missing.to_string().contains("fp.key"), "{missing}");

        std::fs::write(&path, "a secret that is not hex").expect("write");
        let invalid = FingerprintKey::read(&path).expect_err("not hex");
        let message = invalid.to_string();
        assert!(message.contains("fp.key") && message.contains("64 hexadecimal"));
        assert!(!message.contains("a secret"), "never prints the content");

        std::fs::write(&path, vec![b'a'; 4096]).expect("write");
        assert!(FingerprintKey::read(&path).is_err(), "too long");
        std::fs::write(&path, [0xff, 0xfe]).expect("write");
        assert!(FingerprintKey::read(&path).is_err(), "not text");
    }

    #[test]
    fn a_key_file_is_made_once_owner_only_and_read_back() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = FingerprintKey::beside(&dir.path().join("rectiflow.db"));
        assert!(path.ends_with("rectiflow.db.fingerprint-key"));
        let made = FingerprintKey::read_or_create(&path).expect("made");
        assert_eq!(FingerprintKey::read_or_create(&path).expect("read"), made);
        assert!(
            FingerprintKey::create(&path).is_err_and(|e| e.is(std::io::ErrorKind::AlreadyExists)),
            "never overwritten"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
