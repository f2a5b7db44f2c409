//! Permission scopes (`api-reference__scopes__permissions.md`). A webhook or app holds a set; each method
//! requires one scope (`basic` methods are always allowed). Unknown scope names given on the CLI are rejected
//! so that a typo does not silently grant nothing.

use std::collections::BTreeSet;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Always granted: server.time, batch, profile, scope, methods …
    Basic,
    Im,
    Imbot,
    User,
    UserBrief,
    UserBasic,
}

impl Scope {
    pub const GRANTABLE: &'static [Scope] = &[Scope::Im, Scope::Imbot, Scope::User, Scope::UserBrief, Scope::UserBasic];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Basic => "basic",
            Scope::Im => "im",
            Scope::Imbot => "imbot",
            Scope::User => "user",
            Scope::UserBrief => "user_brief",
            Scope::UserBasic => "user_basic",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "basic" => Scope::Basic,
            "im" => Scope::Im,
            "imbot" => Scope::Imbot,
            "user" => Scope::User,
            "user_brief" => Scope::UserBrief,
            "user_basic" => Scope::UserBasic,
            _ => return None,
        })
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The scopes a credential holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopeSet(BTreeSet<Scope>);

impl ScopeSet {
    /// Every grantable scope.
    pub fn all() -> ScopeSet {
        ScopeSet(Scope::GRANTABLE.iter().copied().collect())
    }

    /// Parse `im,imbot,user`; unknown names are an error naming them.
    pub fn parse_list(s: &str) -> Result<ScopeSet, String> {
        let mut set = BTreeSet::new();
        for part in s.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
            match Scope::parse(part) {
                Some(Scope::Basic) => {}
                Some(sc) => {
                    set.insert(sc);
                }
                None => return Err(format!("unknown scope {part:?} (known: im, imbot, user, user_brief, user_basic)")),
            }
        }
        Ok(ScopeSet(set))
    }

    /// Lenient parse of a stored list (skips unknown names).
    pub fn from_stored(s: &str) -> ScopeSet {
        ScopeSet(s.split(',').filter_map(Scope::parse).filter(|s| *s != Scope::Basic).collect())
    }

    /// Does the set grant `scope`? `basic` always; `user_brief`/`user_basic` are granted by `user`.
    pub fn allows(&self, scope: Scope) -> bool {
        match scope {
            Scope::Basic => true,
            Scope::UserBrief | Scope::UserBasic => self.0.contains(&scope) || self.0.contains(&Scope::User),
            s => self.0.contains(&s),
        }
    }

    /// Allows any of `scopes` (a method listed under several scopes).
    pub fn allows_any(&self, scopes: &[Scope]) -> bool {
        scopes.iter().any(|s| self.allows(*s))
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }

    /// `im,imbot,user` as stored and as OAuth `scope` fields print it.
    pub fn to_list(&self) -> String {
        self.0.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_allow() {
        let s = ScopeSet::parse_list("im, imbot").unwrap();
        assert!(s.allows(Scope::Im) && s.allows(Scope::Basic) && !s.allows(Scope::User));
        assert_eq!(s.to_list(), "im,imbot");
        assert!(ScopeSet::parse_list("im,crmm").unwrap_err().contains("crmm"));
        assert!(ScopeSet::parse_list("user").unwrap().allows(Scope::UserBrief));
    }
}
