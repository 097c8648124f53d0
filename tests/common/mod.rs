//! Helpers shared by the integration tests that write their own data.

/// A resident ID: the 17-digit `body` and its GB 11643 check character,
/// computed here from the standard, independently of the tool.
#[allow(dead_code)]
pub fn with_check_char(body: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// The report's `kinds` without the samples, which name their file (and
/// differ when the same data comes from standard input).
#[allow(dead_code)]
pub fn kind_counts(report: &serde_json::Value) -> serde_json::Value {
    let mut kinds = report["kinds"].clone();
    if let Some(map) = kinds.as_object_mut() {
        for (_, k) in map.iter_mut() {
            if let Some(k) = k.as_object_mut() {
                k.remove("samples");
            }
        }
    }
    kinds
}

/// Ctrl-C for a running child, through the shell's own `kill` (no procps
/// needed); its exit status.
#[allow(dead_code)]
pub fn interrupt(child: &mut std::process::Child) -> std::process::ExitStatus {
    let sent = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -INT");
    child.wait().unwrap()
}
