//! The string enumerations of the v2 API, each with its documented spelling (docs/v2.md §5).
//!
//! Every enum has `as_str` (the canonical spelling, which is what responses and events carry), `parse` (exact
//! match, as Bitrix compares) and `parse_ci` (ASCII-case-insensitive). Which one a request uses is decided per
//! parameter in [`super::requests`] and written down in docs/v2.md: the change log says invalid `backgroundId`
//! values "such as typos in case" become `null`, so backgrounds and reaction codes are exact; bot types, event
//! modes, colours and sort directions are read case-insensitively (accepting more never rejects a value
//! Bitrix accepts). Parsing never fails loudly: it returns `None`, and the caller picks the documented error or
//! fallback.

string_enum! { parse_exact:
    /// `fields.type` of `Bot.register` (index.md "Bot Types"). Default [`BotType::Bot`].
    #[derive(Default)]
    pub enum BotType {
        /// Private dialogs and `[USER=id]` mentions in group chats.
        #[default]
        Bot = "bot",
        /// Every message of the chats it is in.
        Supervisor = "supervisor",
        /// Like `supervisor`; hidden from search for users without access.
        Personal = "personal",
        /// Open Channels; otherwise behaves like `bot`.
        Openline = "openline",
        /// Not documented as a type, but `BOT_INVALID_TYPE`'s text lists it as allowed; behaves like `bot`.
        Network = "network",
    }
}

impl BotType {
    /// `supervisor` and `personal` receive every message of their chats (and may call `Chat.Message.get` /
    /// `getContext`).
    pub fn sees_all_messages(self) -> bool {
        matches!(self, BotType::Supervisor | BotType::Personal)
    }
}

string_enum! { parse_exact:
    /// `fields.eventMode`. Default [`EventMode::Fetch`].
    #[derive(Default)]
    pub enum EventMode {
        /// Events are queued for `imbot.v2.Event.get`.
        #[default]
        Fetch = "fetch",
        /// Events are POSTed to `webhookUrl`.
        Webhook = "webhook",
    }
}

string_enum! { parse_exact:
    /// `fields.backgroundId` (bot-register.md "Available Backgrounds"). Exact match; anything else is `null`.
    pub enum Background {
        Azure = "azure",
        Mint = "mint",
        Steel = "steel",
        Slate = "slate",
        Teal = "teal",
        Cornflower = "cornflower",
        Sky = "sky",
        Peach = "peach",
        Frost = "frost",
    }
}

impl Background {
    /// `dark` or `light`, as the backgrounds table says.
    pub fn theme(self) -> &'static str {
        match self {
            Background::Sky | Background::Peach | Background::Frost => "light",
            _ => "dark",
        }
    }
}

string_enum! { parse_exact:
    /// Chat and avatar colours (chat-add.md "Available Colors").
    pub enum Color {
        Red = "red",
        Green = "green",
        Mint = "mint",
        LightBlue = "lightBlue",
        DarkBlue = "darkBlue",
        Purple = "purple",
        Aqua = "aqua",
        Pink = "pink",
        Lime = "lime",
        Brown = "brown",
        Azure = "azure",
        Khaki = "khaki",
        Sand = "sand",
        Marengo = "marengo",
        Gray = "gray",
        Graphite = "graphite",
    }
}

impl Color {
    /// The HEX value objects carry (`chat.color`, `user.color`).
    pub fn hex(self) -> &'static str {
        match self {
            Color::Red => "#df532d",
            Color::Green => "#64a513",
            Color::Mint => "#4ba984",
            Color::LightBlue => "#4ba5c3",
            Color::DarkBlue => "#3e99ce",
            Color::Purple => "#8474c8",
            Color::Aqua => "#1eb4aa",
            Color::Pink => "#f76187",
            Color::Lime => "#58cc47",
            Color::Brown => "#ab7761",
            Color::Azure => "#29619b",
            Color::Khaki => "#728f7a",
            Color::Sand => "#ba9c7b",
            Color::Marengo => "#556574",
            Color::Gray => "#909090",
            Color::Graphite => "#5e5f5e",
        }
    }

    /// The v2 code (`lightBlue`) in any case, or the v1 name (`LIGHT_BLUE`), or the HEX value itself.
    pub fn parse_lenient(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Some(c) = Color::parse_ci(s) {
            return Some(c);
        }
        let squashed: String = s.chars().filter(|c| *c != '_').collect();
        Color::parse_ci(&squashed).or_else(|| Color::ALL.iter().copied().find(|c| c.hex().eq_ignore_ascii_case(s)))
    }
}

string_enum! { parse_exact:
    /// Reaction codes (chat-message-reaction-add.md "Available Reaction Codes"), exact match. The page warns the
    /// list "may expand or contract without prior notice".
    pub enum Reaction {
        Like = "like",
        Dislike = "dislike",
        FaceWithTearsOfJoy = "faceWithTearsOfJoy",
        RedHeart = "redHeart",
        NeutralFace = "neutralFace",
        Fire = "fire",
        Cry = "cry",
        SlightlySmilingFace = "slightlySmilingFace",
        WinkingFace = "winkingFace",
        Laugh = "laugh",
        Kiss = "kiss",
        Wonder = "wonder",
        SlightlyFrowningFace = "slightlyFrowningFace",
        LoudlyCryingFace = "loudlyCryingFace",
        FaceWithStuckOutTongue = "faceWithStuckOutTongue",
        FaceWithStuckOutTongueAndWinkingEye = "faceWithStuckOutTongueAndWinkingEye",
        SmilingFaceWithSunglasses = "smilingFaceWithSunglasses",
        ConfusedFace = "confusedFace",
        FlushedFace = "flushedFace",
        ThinkingFace = "thinkingFace",
        Angry = "angry",
        SmilingFaceWithHorns = "smilingFaceWithHorns",
        FaceWithThermometer = "faceWithThermometer",
        Facepalm = "facepalm",
        Poo = "poo",
        FlexedBiceps = "flexedBiceps",
        ClappingHands = "clappingHands",
        RaisedHand = "raisedHand",
        SmilingFaceWithHeartEyes = "smilingFaceWithHeartEyes",
        SmilingFaceWithHearts = "smilingFaceWithHearts",
        PleadingFace = "pleadingFace",
        RelievedFace = "relievedFace",
        FoldedHands = "foldedHands",
        OkHand = "okHand",
        SignHorns = "signHorns",
        LoveYouGesture = "loveYouGesture",
        ClownFace = "clownFace",
        PartyingFace = "partyingFace",
        QuestionMark = "questionMark",
        ExclamationMark = "exclamationMark",
        LightBulb = "lightBulb",
        Bomb = "bomb",
        SleepingSymbol = "sleepingSymbol",
        CrossMark = "crossMark",
        WhiteHeavyCheckMark = "whiteHeavyCheckMark",
        Eyes = "eyes",
        Handshake = "handshake",
        HundredPoints = "hundredPoints",
    }
}

string_enum! { parse_exact:
    /// `statusMessageCode` of `Chat.InputAction.notify`; absent means the standard "typing" indicator.
    pub enum StatusMessageCode {
        Thinking = "IMBOT_AGENT_ACTION_THINKING",
        Searching = "IMBOT_AGENT_ACTION_SEARCHING",
        Generating = "IMBOT_AGENT_ACTION_GENERATING",
        Analyzing = "IMBOT_AGENT_ACTION_ANALYZING",
        Processing = "IMBOT_AGENT_ACTION_PROCESSING",
        Translating = "IMBOT_AGENT_ACTION_TRANSLATING",
        Connecting = "IMBOT_AGENT_ACTION_CONNECTING",
        Checking = "IMBOT_AGENT_ACTION_CHECKING",
        Calculating = "IMBOT_AGENT_ACTION_CALCULATING",
        ReadingDocs = "IMBOT_AGENT_ACTION_READING_DOCS",
        Composing = "IMBOT_AGENT_ACTION_COMPOSING",
    }
}

impl StatusMessageCode {
    /// The indicator text the page lists.
    pub fn text(self) -> &'static str {
        match self {
            StatusMessageCode::Thinking => "Agent is thinking...",
            StatusMessageCode::Searching => "Agent is searching for information...",
            StatusMessageCode::Generating => "Agent is preparing a response...",
            StatusMessageCode::Analyzing => "Agent is analyzing the request...",
            StatusMessageCode::Processing => "Agent is processing data...",
            StatusMessageCode::Translating => "Agent is translating text...",
            StatusMessageCode::Connecting => "Agent is connecting to the service...",
            StatusMessageCode::Checking => "Agent is checking data...",
            StatusMessageCode::Calculating => "Agent is calculating...",
            StatusMessageCode::ReadingDocs => "Agent is reviewing documents...",
            StatusMessageCode::Composing => "Agent is composing a response...",
        }
    }
}

string_enum! { parse_exact:
    /// `command.context` of ONIMBOTV2COMMANDADD (v1's `COMMAND_CONTEXT`, lower-cased).
    pub enum CommandContext {
        Textarea = "textarea",
        Keyboard = "keyboard",
        Menu = "menu",
    }
}

string_enum! { parse_exact:
    /// `action` of ONIMBOTV2REACTIONCHANGE / ONIMV2REACTIONCHANGE.
    pub enum ReactionAction {
        Add = "add",
        Delete = "delete",
    }
}

string_enum! { parse_exact:
    /// `chat.type` (entities.md; `private` from the ONIMBOTV2CONTEXTGET example).
    pub enum ChatType {
        Chat = "chat",
        Open = "open",
        Channel = "channel",
        OpenChannel = "openChannel",
        Copilot = "copilot",
        Thread = "thread",
        GeneralChannel = "generalChannel",
        Private = "private",
    }
}

string_enum! { parse_exact:
    /// `chat.role`: the role of the current user (the bot) in the chat.
    pub enum ChatRole {
        Owner = "owner",
        Manager = "manager",
        Member = "member",
        Guest = "guest",
        None = "none",
    }
}

string_enum! { parse_exact:
    /// `user.type`.
    pub enum UserType {
        Employee = "employee",
        Extranet = "extranet",
        Email = "email",
        Collaber = "collaber",
        Bot = "bot",
    }
}

string_enum! { parse_exact:
    /// `file.type`.
    pub enum FileType {
        File = "file",
        Image = "image",
        Video = "video",
        Audio = "audio",
    }
}

impl FileType {
    /// The content type a file name's extension suggests (our rule; Bitrix asks Drive).
    pub fn from_extension(ext: &str) -> FileType {
        match ext.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" | "png" | "gif" | "webp" | "bmp" | "heic" | "svg" => FileType::Image,
            "mp4" | "mov" | "webm" | "avi" | "mkv" | "m4v" => FileType::Video,
            "mp3" | "ogg" | "oga" | "wav" | "m4a" | "aac" | "flac" | "opus" => FileType::Audio,
            _ => FileType::File,
        }
    }
}

string_enum! { parse_exact:
    /// Gender of a bot's profile (`fields.properties.gender`) and `user.gender`.
    pub enum Gender {
        Male = "M",
        Female = "F",
    }
}

string_enum! { parse_exact:
    /// Sort fields of `Chat.User.list` `order`.
    pub enum ChatUserOrderField {
        Id = "id",
        LastSendMessageId = "lastSendMessageId",
        UserId = "userId",
    }
}

string_enum! { parse_exact:
    /// A sort direction.
    #[derive(Default)]
    pub enum SortDirection {
        #[default]
        Asc = "ASC",
        Desc = "DESC",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for r in Reaction::ALL {
            assert_eq!(Reaction::parse(r.as_str()), Some(*r));
        }
        assert_eq!(Reaction::ALL.len(), 48);
        assert_eq!(Color::ALL.len(), 16);
        assert_eq!(StatusMessageCode::ALL.len(), 11);
        assert_eq!(Background::ALL.len(), 9);
    }

    #[test]
    fn exact_and_case_insensitive() {
        assert_eq!(Background::parse("Azure"), None);
        assert_eq!(Background::parse("azure"), Some(Background::Azure));
        assert_eq!(BotType::parse_ci(" Supervisor "), Some(BotType::Supervisor));
        assert_eq!(Reaction::parse("Like"), None);
        assert_eq!(EventMode::parse_ci("WEBHOOK"), Some(EventMode::Webhook));
    }

    #[test]
    fn colours_accept_v1_names_and_hex() {
        assert_eq!(Color::parse_lenient("lightBlue"), Some(Color::LightBlue));
        assert_eq!(Color::parse_lenient("LIGHT_BLUE"), Some(Color::LightBlue));
        assert_eq!(Color::parse_lenient("#4BA984"), Some(Color::Mint));
        assert_eq!(Color::parse_lenient("teal"), None);
        assert_eq!(Color::Mint.hex(), "#4ba984");
    }

    #[test]
    fn file_types_by_extension() {
        assert_eq!(FileType::from_extension("PNG"), FileType::Image);
        assert_eq!(FileType::from_extension("pdf"), FileType::File);
        assert_eq!(FileType::from_extension("ogg"), FileType::Audio);
    }
}
