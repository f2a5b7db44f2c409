//! The one table of methods. Adding a method = adding its file and one line here.

use super::MethodSpec;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Every method the server implements, in the order `methods` lists them.
pub fn registry() -> &'static [&'static MethodSpec] {
    use super::{basic, event, ext, im, im_v2, imbot, imbot_v2 as v2, user};
    static ALL: &[&MethodSpec] = &[
        &basic::batch::SPEC,
        &basic::server_time::SPEC,
        &basic::methods::SPEC,
        &basic::method_get::SPEC,
        &basic::scope::SPEC,
        &basic::app_info::SPEC,
        &basic::profile::SPEC,
        &event::list::SPEC,
        &event::bind::SPEC,
        &event::unbind::SPEC,
        &event::get::SPEC,
        &event::test::SPEC,
        &event::offline_get::SPEC,
        &event::offline_clear::SPEC,
        &event::offline_error::SPEC,
        &event::offline_list::SPEC,
        &user::current::SPEC,
        &user::get::SPEC,
        &im::chat_add::SPEC,
        &im::chat_get::SPEC,
        &im::chat_leave::SPEC,
        &im::chat_user_add::SPEC,
        &im::chat_user_delete::SPEC,
        &im::chat_user_list::SPEC,
        &im::dialog_get::SPEC,
        &im::dialog_messages_get::SPEC,
        &im::dialog_read::SPEC,
        &im::dialog_unread::SPEC,
        &im::dialog_users_list::SPEC,
        &im::dialog_writing::SPEC,
        &im::message_add::SPEC,
        &im::message_command::SPEC,
        &im::message_delete::SPEC,
        &im::message_like::SPEC,
        &im::message_update::SPEC,
        &im::revision_get::SPEC,
        &imbot::register::SPEC,
        &imbot::unregister::SPEC,
        &imbot::update::SPEC,
        &imbot::bot_list::SPEC,
        &imbot::command_register::SPEC,
        &imbot::command_update::SPEC,
        &imbot::command_unregister::SPEC,
        &imbot::command_answer::SPEC,
        &imbot::message_add::SPEC,
        &imbot::message_update::SPEC,
        &imbot::message_delete::SPEC,
        &imbot::message_like::SPEC,
        &imbot::chat_send_typing::SPEC,
        &imbot::chat_send_typing::ALIAS,
        &imbot::dialog_get::SPEC,
        &imbot::chat_add::SPEC,
        &imbot::chat_get::SPEC,
        &imbot::chat_leave::SPEC,
        &imbot::chat_user_add::SPEC,
        &imbot::chat_user_delete::SPEC,
        &imbot::chat_user_list::SPEC,
        &imbot::chat_settings::SET_OWNER,
        &imbot::chat_settings::SET_MANAGER,
        &imbot::chat_settings::UPDATE_TITLE,
        &imbot::chat_settings::UPDATE_COLOR,
        &imbot::chat_settings::UPDATE_AVATAR,
        &v2::bot_register::SPEC,
        &v2::bot_update::SPEC,
        &v2::bot_get::SPEC,
        &v2::bot_list::SPEC,
        &v2::bot_unregister::SPEC,
        &v2::command_register::SPEC,
        &v2::command_update::SPEC,
        &v2::command_list::SPEC,
        &v2::command_unregister::SPEC,
        &v2::command_answer::SPEC,
        &v2::message_send::SPEC,
        &v2::message_update::SPEC,
        &v2::message_delete::SPEC,
        &v2::event_get::SPEC,
        &v2::revision_get::SPEC,
        &v2::chat_add::SPEC,
        &v2::chat_get::SPEC,
        &v2::chat_update::SPEC,
        &v2::chat_leave::SPEC,
        &v2::chat_set_owner::SPEC,
        &v2::chat_manager::add::SPEC,
        &v2::chat_manager::delete::SPEC,
        &v2::chat_user::add::SPEC,
        &v2::chat_user::delete::SPEC,
        &v2::chat_user::list::SPEC,
        &v2::message_read::SPEC,
        &v2::message_get::get::SPEC,
        &v2::message_get::context::SPEC,
        &v2::reaction::add::SPEC,
        &v2::reaction::delete::SPEC,
        &v2::input_action::SPEC,
        &v2::text_field::SPEC,
        &im_v2::event::subscribe::SPEC,
        &im_v2::event::unsubscribe::SPEC,
        &im_v2::event::SPEC,
        &im_v2::send_context::SPEC,
        &v2::file_upload::SPEC,
        &v2::file_download::SPEC,
        &im_v2::file_upload::SPEC,
        &im_v2::file_download::SPEC,
        &ext::delivery::LIST,
        &ext::delivery::GET,
        &ext::delivery::RESEND,
        &ext::delivery::STATUS,
        &ext::delivery::PING,
    ];
    ALL
}

static BY_NAME: LazyLock<HashMap<&'static str, &'static MethodSpec>> =
    LazyLock::new(|| registry().iter().map(|m| (m.name, *m)).collect());

/// Look a method up by name, case-insensitively (Bitrix lower-cases method names).
pub fn find(name: &str) -> Option<&'static MethodSpec> {
    BY_NAME.get(name.to_ascii_lowercase().as_str()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lower_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for m in registry() {
            assert_eq!(m.name, m.name.to_ascii_lowercase());
            assert!(seen.insert(m.name), "duplicate {}", m.name);
            assert!(m.doc.ends_with(".md"), "{} needs a doc page", m.name);
        }
        assert!(find("SERVER.TIME").is_some());
        assert!(find("nope.nope").is_none());
    }

    /// Every method of the v2 pages is served, with the documented scope and page.
    #[test]
    fn every_v2_method_is_registered() {
        for m in imbot_wire::v2::methods::ALL {
            let spec = find(m.name).unwrap_or_else(|| panic!("{} is not registered", m.name));
            let scope = match m.scope {
                "im" => crate::domain::Scope::Im,
                _ => crate::domain::Scope::Imbot,
            };
            assert_eq!(spec.scopes, &[scope], "{}", m.name);
            assert!(spec.doc.ends_with(&format!("{}.md", m.page)), "{}: {}", m.name, spec.doc);
            assert_eq!(spec.case, crate::methods::ParamCase::AsSent, "{}", m.name);
        }
    }
}
