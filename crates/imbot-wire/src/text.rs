//! Message text conventions the server and bots share: slash-command lines and `[USER=id]` mentions
//! (SPEC-NOTES §5.11, §5.12). Pure functions over `&str`; any input is accepted (fuzzed by `fuzz/text`).

/// Every `/command params` line of a text.
pub fn parse_commands(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix('/')?;
            let (cmd, params) = match rest.find(' ') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, ""),
            };
            (!cmd.is_empty()).then(|| (cmd.to_owned(), params.to_owned()))
        })
        .collect()
}

/// Ids mentioned as `[USER=id]…[/USER]`, in order of appearance.
pub fn mentions(text: &str) -> Vec<i64> {
    let upper = text.to_ascii_uppercase();
    let mut out = Vec::new();
    let mut rest = upper.as_str();
    while let Some(i) = rest.find("[USER=") {
        rest = &rest[i + 6..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(id) = digits.parse::<i64>() {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// The text with every `[USER=n]…[/USER]` (and one trailing comma) removed, trimmed.
pub fn strip_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        let Some(start) = lower.find("[user=") else { break };
        let Some(end_rel) = lower[start..].find("[/user]") else { break };
        out.push_str(&rest[..start]);
        let mut after = &rest[start + end_rel + 7..];
        if let Some(a) = after.strip_prefix(',') {
            after = a;
        }
        rest = after;
    }
    out.push_str(rest);
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_per_line() {
        assert_eq!(parse_commands("/echo test"), vec![("echo".into(), "test".into())]);
        assert_eq!(
            parse_commands("hi\n/a b c\n/b\n not/c\n/"),
            vec![("a".into(), "b c".into()), ("b".into(), "".into())]
        );
        assert_eq!(parse_commands("/echo  two"), vec![("echo".into(), " two".into())]);
    }

    #[test]
    fn mention_handling() {
        let t = "[USER=39]Bot[/USER], hello [user=7]Ann[/user] there";
        assert_eq!(mentions(t), vec![39, 7]);
        assert_eq!(strip_mentions(t), "hello  there");
        assert_eq!(strip_mentions("no mentions "), "no mentions");
    }
}
