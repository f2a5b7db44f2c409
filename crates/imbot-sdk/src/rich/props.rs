//! Property tests: whatever the builders build, imbot-wire's parsers (the server's) accept whole — no button,
//! item or block dropped, every action as built — and the builders refuse exactly the inputs an independent
//! oracle calls invalid.

use super::attach::{FileItem, GridItem, ImageItem, LinkBlock, UserBlock};
use super::*;
use imbot_wire::rich::{self as wire, ButtonAction, Field};
use proptest::prelude::*;

/// A string and whether the builders should accept it in its role.
type Case = (String, bool);

fn text() -> impl Strategy<Value = Case> {
    prop_oneof![
        4 => "[A-Za-z0-9][A-Za-z0-9 .,!?]{0,12}".prop_map(|s| (s, true)),
        2 => "\\PC{1,8}".prop_map(|s: String| { let ok = !s.trim().is_empty(); (s, ok) }),
        1 => prop_oneof![Just(""), Just("   "), Just("\t\n")].prop_map(|s| (s.to_owned(), false)),
    ]
}

fn url() -> impl Strategy<Value = Case> {
    prop_oneof![
        3 => prop_oneof![
            Just("https://example.com/"), Just("http://example.com/a?b=c&d=e"), Just("/online/?IM_DIALOG=chat5"),
            Just("HTTPS://EXAMPLE.COM"), Just("/"), Just("https://пример.рф/путь"),
        ].prop_map(|s| (s.to_owned(), true)),
        1 => prop_oneof![
            Just("ftp://example.com"), Just("example.com"), Just("javascript:alert(1)"), Just(""),
            Just(" https://example.com"), Just("data:image/png;base64,AA"),
        ].prop_map(|s| (s.to_owned(), false)),
    ]
}

fn colour() -> impl Strategy<Value = Option<Case>> {
    prop_oneof![
        3 => Just(None),
        2 => "#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})".prop_map(|s| Some((s, true))),
        1 => prop_oneof![Just("red"), Just("#12"), Just("#ggg"), Just("123456"), Just("#1234567")]
            .prop_map(|s| Some((s.to_owned(), false))),
    ]
}

fn size() -> impl Strategy<Value = Option<(i64, bool)>> {
    prop_oneof![3 => Just(None), 2 => (1i64..2000).prop_map(|n| Some((n, true))), 1 => (-5i64..=0).prop_map(|n| Some((n, false)))]
}

fn command() -> impl Strategy<Value = Case> {
    prop_oneof![
        3 => "/?[a-z][a-z0-9_]{0,10}".prop_map(|s| (s, true)),
        1 => prop_oneof![Just(""), Just("/"), Just("two words"), Just("tab\there")].prop_map(|s| (s.to_owned(), false)),
    ]
}

#[derive(Debug, Clone)]
enum ActionSpec {
    Link(Case),
    Command(Case, String),
    Do(usize, Case),
    App(i64, String),
}

fn action() -> impl Strategy<Value = ActionSpec> {
    prop_oneof![
        url().prop_map(ActionSpec::Link),
        (command(), "[ -~]{0,10}").prop_map(|(c, p)| ActionSpec::Command(c, p)),
        (0usize..5, text()).prop_map(|(k, v)| ActionSpec::Do(k, v)),
        (-1i64..4, "[a-z=&]{0,6}").prop_map(|(id, p)| ActionSpec::App(id, p)),
    ]
}

/// The builder's action and whether it is valid (with or without a bot).
fn make_action(a: &ActionSpec, has_bot: bool) -> (Action, bool) {
    match a {
        ActionSpec::Link((u, ok)) => (Action::Link(u.clone()), *ok),
        ActionSpec::Command((c, ok), p) => (Action::Command { command: c.clone(), params: p.clone() }, *ok && has_bot),
        ActionSpec::Do(k, (v, ok)) => {
            let kind = [
                wire::ActionKind::Put,
                wire::ActionKind::Send,
                wire::ActionKind::Copy,
                wire::ActionKind::Call,
                wire::ActionKind::Dialog,
            ][*k];
            (Action::Do { kind, value: v.clone() }, *ok)
        }
        ActionSpec::App(id, p) => (Action::App { app_id: *id, params: p.clone() }, *id > 0),
    }
}

/// What the server must read back for a valid action.
fn expected(a: &Action) -> ButtonAction {
    match a {
        Action::Link(l) => ButtonAction::Link(l.clone()),
        Action::Command { command, params } => ButtonAction::Command {
            command: command.trim_start_matches('/').to_owned(),
            params: if params.trim().is_empty() { String::new() } else { params.clone() },
        },
        Action::Do { kind, value } => ButtonAction::Action { kind: *kind, value: value.clone() },
        Action::App { app_id, params } => ButtonAction::App {
            app_id: *app_id,
            params: if params.trim().is_empty() { String::new() } else { params.clone() },
        },
    }
}

#[derive(Debug, Clone)]
struct ButtonSpec {
    text: Case,
    action: ActionSpec,
    block: bool,
    disabled: bool,
    line: bool,
    width: Option<(i64, bool)>,
    bg: Option<Case>,
    fg: Option<Case>,
    newline_before: bool,
}

fn button() -> impl Strategy<Value = ButtonSpec> {
    (text(), action(), any::<bool>(), any::<bool>(), any::<bool>(), size(), colour(), colour(), any::<bool>()).prop_map(
        |(text, action, block, disabled, line, width, bg, fg, newline_before)| ButtonSpec {
            text,
            action,
            block,
            disabled,
            line,
            width,
            bg,
            fg,
            newline_before,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn keyboards_that_build_are_accepted_whole(bot in prop_oneof![Just(None), (1i64..100_000).prop_map(Some)],
                                              specs in prop::collection::vec(button(), 0..6)) {
        let mut kb = match bot { Some(b) => Keyboard::for_bot(b), None => Keyboard::new() };
        let mut valid = !specs.is_empty();
        let mut actions = Vec::new();
        for s in &specs {
            if s.newline_before {
                kb = kb.new_line();
            }
            let (action, ok) = make_action(&s.action, bot.is_some());
            valid &= ok && s.text.1;
            valid &= s.width.is_none_or(|w| w.1) && s.bg.as_ref().is_none_or(|c| c.1) && s.fg.as_ref().is_none_or(|c| c.1);
            let mut b = Button::with(s.text.0.clone(), action.clone());
            if s.block { b = b.block(); }
            if s.disabled { b = b.disabled(); }
            if s.line { b = b.display(ButtonDisplay::Line); }
            if let Some((w, _)) = s.width { b = b.width(w); }
            if let Some((c, _)) = &s.bg { b = b.bg_color(c.clone()); }
            if let Some((c, _)) = &s.fg { b = b.text_color(c.clone()); }
            kb = kb.button(b);
            actions.push((s.text.0.trim().to_owned(), action));
        }
        let built = kb.build();
        prop_assert_eq!(built.is_ok(), valid, "{:?}", built);
        if let Ok(v) = built {
            // As an im.* method reads it (the keyboard's own BOT_ID), and as imbot.* does (the calling bot).
            for calling_bot in [None, bot] {
                let parsed = wire::Keyboard::parse(Some(&v), calling_bot);
                let Ok(Field::Set(k)) = parsed else { panic!("refused: {parsed:?} for {v}") };
                let got: Vec<_> = k.buttons().collect();
                prop_assert_eq!(got.len(), actions.len(), "dropped buttons of {}", v);
                for (b, (text, action)) in got.iter().zip(&actions) {
                    prop_assert_eq!(&b.text, text);
                    prop_assert_eq!(&b.action, &expected(action));
                    if action.is_command() {
                        prop_assert_eq!(Some(b.bot_id), bot);
                    }
                }
            }
        }
    }

    #[test]
    fn menus_that_build_are_accepted_whole(bot in prop_oneof![Just(None), (1i64..100_000).prop_map(Some)],
                                          specs in prop::collection::vec((text(), action(), any::<bool>()), 0..6)) {
        let mut menu = match bot { Some(b) => Menu::for_bot(b), None => Menu::new() };
        let mut valid = !specs.is_empty();
        let mut actions = Vec::new();
        for (t, a, disabled) in &specs {
            let (action, ok) = make_action(a, bot.is_some());
            valid &= ok && t.1;
            let mut item = MenuItem::with(t.0.clone(), action.clone());
            if *disabled { item = item.disabled(); }
            menu = menu.item(item);
            actions.push(action);
        }
        let built = menu.build();
        prop_assert_eq!(built.is_ok(), valid, "{:?}", built);
        if let Ok(v) = built {
            let parsed = wire::Menu::parse(Some(&v), None);
            let Ok(Field::Set(m)) = parsed else { panic!("refused: {parsed:?} for {v}") };
            prop_assert_eq!(m.items.len(), actions.len());
            for (i, a) in m.items.iter().zip(&actions) {
                prop_assert_eq!(&i.action, &expected(a));
            }
        }
    }

    #[test]
    fn attachments_that_build_are_accepted_whole(spec in prop::collection::vec(block(), 0..7),
                                                 card_colour in colour(), id in proptest::option::of(any::<i64>())) {
        let mut a = Attach::new();
        if let Some(id) = id { a = a.id(id); }
        if let Some((c, _)) = &card_colour { a = a.color(c.clone()); }
        let mut valid = !spec.is_empty() && card_colour.as_ref().is_none_or(|c| c.1);
        for b in &spec {
            a = b.apply(a);
            valid &= b.valid();
        }
        let built = a.build();
        prop_assert_eq!(built.is_ok(), valid, "{:?}", built);
        if let Ok(v) = built {
            let parsed = wire::Attach::parse(Some(&v));
            let Ok(Field::Set(p)) = parsed else { panic!("refused: {parsed:?} for {v}") };
            prop_assert_eq!(p.blocks().count(), spec.len(), "dropped blocks of {}", v);
            prop_assert_eq!(p.attachments[0].id, id);
        }
    }
}

/// A grid item: display index, name, value, colour, link.
type GridSpec = (usize, String, String, Option<Case>, Option<Case>);

#[derive(Debug, Clone)]
enum BlockSpec {
    Message(Case),
    Link(Case, Option<Case>, Option<(i64, bool)>),
    User(Case, Option<Case>, Option<i64>),
    Grid(Vec<GridSpec>),
    Images(Vec<Case>),
    File(Case, Option<(i64, bool)>),
    Delimiter(Option<(i64, bool)>, Option<Case>),
}

impl BlockSpec {
    fn valid(&self) -> bool {
        let ok = |c: &Option<Case>| c.as_ref().is_none_or(|c| c.1);
        let pos = |n: &Option<(i64, bool)>| n.is_none_or(|n| n.1);
        match self {
            BlockSpec::Message(t) => t.1,
            BlockSpec::Link(u, p, w) => u.1 && ok(p) && pos(w),
            BlockSpec::User(n, avatar, id) => n.1 && ok(avatar) && id.is_none_or(|i| i > 0),
            BlockSpec::Grid(items) => !items.is_empty() && items.iter().all(|(_, _, _, c, l)| ok(c) && ok(l)),
            BlockSpec::Images(urls) => !urls.is_empty() && urls.iter().all(|u| u.1),
            BlockSpec::File(u, size) => u.1 && pos(size),
            BlockSpec::Delimiter(size, c) => pos(size) && ok(c),
        }
    }

    fn apply(&self, a: Attach) -> Attach {
        match self {
            BlockSpec::Message(t) => a.message(t.0.clone()),
            BlockSpec::Link(u, preview, w) => {
                let mut l = LinkBlock::new(u.0.clone()).name("n");
                if let Some((p, _)) = preview {
                    l = l.preview(p.clone());
                }
                if let Some((w, _)) = w {
                    l = l.size(*w, 10);
                }
                a.link(l)
            }
            BlockSpec::User(n, avatar, id) => {
                let mut u = UserBlock::new(n.0.clone());
                if let Some((p, _)) = avatar {
                    u = u.avatar(p.clone());
                }
                if let Some(id) = id {
                    u = u.user_id(*id);
                }
                a.user(u)
            }
            BlockSpec::Grid(items) => a.grid(items.iter().map(|(d, n, v, c, l)| {
                let displays = [GridDisplay::Block, GridDisplay::Line, GridDisplay::Row, GridDisplay::Table];
                let mut g = GridItem::new(displays[*d], n.clone(), v.clone());
                if let Some((c, _)) = c {
                    g = g.color(c.clone());
                }
                if let Some((l, _)) = l {
                    g = g.link(l.clone());
                }
                g
            })),
            BlockSpec::Images(urls) => a.images(urls.iter().map(|(u, _)| ImageItem::new(u.clone()).name("i"))),
            BlockSpec::File(u, size) => {
                let mut f = FileItem::new(u.0.clone());
                if let Some((s, _)) = size {
                    f = f.size(*s);
                }
                a.files([f])
            }
            BlockSpec::Delimiter(None, None) => a.delimiter(),
            BlockSpec::Delimiter(size, c) => a.delimiter_with(
                size.map_or(200, |s| s.0),
                c.as_ref().map_or_else(|| "#ccc".to_owned(), |c| c.0.clone()),
            ),
        }
    }
}

fn block() -> impl Strategy<Value = BlockSpec> {
    prop_oneof![
        text().prop_map(BlockSpec::Message),
        (url(), proptest::option::of(url()), size()).prop_map(|(u, p, w)| BlockSpec::Link(u, p, w)),
        (text(), proptest::option::of(url()), proptest::option::of(-1i64..5))
            .prop_map(|(n, a, i)| BlockSpec::User(n, a, i)),
        prop::collection::vec((0usize..4, "\\PC{0,6}", "\\PC{0,6}", colour(), proptest::option::of(url())), 0..4)
            .prop_map(BlockSpec::Grid),
        prop::collection::vec(url(), 0..3).prop_map(BlockSpec::Images),
        (url(), size()).prop_map(|(u, s)| BlockSpec::File(u, s)),
        (size(), colour()).prop_map(|(s, c)| BlockSpec::Delimiter(s, c)),
    ]
}

#[test]
fn oversize_values_are_refused_before_sending() {
    let long = "x".repeat(70_000);
    let e = Attach::new().message(long).build().unwrap_err();
    assert!(matches!(e.kind, BuildErrorKind::Rejected(ref d) if d.contains("60000")), "{e}");
}
