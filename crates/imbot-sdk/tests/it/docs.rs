//! The JSON examples of the v1 bot event pages, verbatim (`../shared/reference/bitrix24/…`), as imbotd's own
//! tests hold them (`crates/imbotd/tests/bot_util/docs.rs`), plus ONAPPINSTALL. Tests encode them with PHP
//! `http_build_query` (what a portal POSTs) and parse them back.
#![allow(dead_code)]

/// `ONIMCOMMANDADD` (private chat), from `api-reference__chat-bots__outdated__commands__events__on-im-command-add.md`.
pub const ONIMCOMMANDADD_PRIVATE: &str = r#"{
    "event": "ONIMCOMMANDADD",
    "event_handler_id": "1045",
    "data": {
        "COMMAND": {
            "103": {
                "access_token": "be4ca0690000071b006e2cf200050b0077317605eb83b25d2bd6",
                "expires": "1772113086",
                "expires_in": "3600",
                "scope": "imbot",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "F",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "d897063e1ce7c5eb9f04b9751eef5915",
                "refresh_token": "aecbc7690000071b006e2cf200050b007f827f47e120e49da",
                "user_id": "1291",
                "client_id": "a7eff906dd1d950269258a599214f69e",
                "application_token": "8e3ab48a764a9b02700e759d59e91125",
                "AUTH": {
                    "access_token": "be4ca0690000071b006e2cf200050b0077317605eb83b25d2bd6",
                    "expires": "1772113086",
                    "expires_in": "3600",
                    "scope": "imbot",
                    "domain": "some-domain.bitrix24.com",
                    "server_endpoint": "https://oauth.bitrix.info/rest/",
                    "status": "F",
                    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                    "member_id": "d897063e1ce7c5eb9f04b9751eef5915",
                    "refresh_token": "aecbc7690000071b006e2cf200050b007f827f47e120e49da",
                    "user_id": "1291",
                    "client_id": "a7eff906dd1d950269258a599214f69e",
                    "application_token": "8e3ab48a764a9b02700e759d59e91125"
                },
                "BOT_ID": "1291",
                "BOT_CODE": "BOT_GM",
                "COMMAND": "echo",
                "COMMAND_ID": "103",
                "COMMAND_PARAMS": "test",
                "COMMAND_CONTEXT": "TEXTAREA",
                "MESSAGE_ID": "33899"
            }
        },
        "PARAMS": {
            "MESSAGE": "/echo test",
            "TEMPLATE_ID": "acae8d22-4536-4f47-a276-2e3bdf866475",
            "MESSAGE_TYPE": "P",
            "FROM_USER_ID": "1269",
            "DIALOG_ID": "1269",
            "TO_CHAT_ID": "2737",
            "AUTHOR_ID": "1269",
            "SYSTEM": "N",
            "TO_USER_ID": "1291",
            "SKIP_USER_CHECK": "Y",
            "PUSH": "Y",
            "PUSH_IMPORTANT": "N",
            "RECENT_ADD": "Y",
            "RECENT_SKIP_AUTHOR": "N",
            "CONVERT": "N",
            "SKIP_COMMAND": "N",
            "SKIP_COUNTER_INCREMENTS": "N",
            "SILENT_CONNECTOR": "N",
            "SKIP_CONNECTOR": "N",
            "IMPORTANT_CONNECTOR": "N",
            "NO_SESSION_OL": "N",
            "FAKE_RELATION": "0",
            "SKIP_URL_INDEX": "N",
            "MESSAGE_ID": "33899",
            "CHAT_TYPE": "P",
            "LANGUAGE": "en"
        },
        "USER": {
            "ID": "1269",
            "NAME": "John Smith",
            "FIRST_NAME": "John",
            "LAST_NAME": "Smith",
            "GENDER": "M"
        }
    },
    "ts": "1772109486",
    "auth": {
        "access_token": "be4ca06900071b006e2cf200004f50005243fd374178cf59f7831",
        "expires": "1772113086",
        "expires_in": "3600",
        "scope": "imbot",
        "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "d897063e1ce7c5eb9f04b9751eef5915",
        "user_id": "1269",
        "refresh_token": "aecbc76900071b006e2cf200004f50000f2e62ee8e8baa598968",
        "application_token": "8e3ab48a764a9b02700e759d59e91125"
    }
}"#;

/// `ONIMCOMMANDADD` (group chat), from `api-reference__chat-bots__outdated__commands__events__on-im-command-add.md`.
pub const ONIMCOMMANDADD_GROUP: &str = r#"{
    "event": "ONIMCOMMANDADD",
    "event_handler_id": "1035",
    "data": {
        "COMMAND": {
            "99": {
                "access_token": "f1ca0690000071b006e2cf20050b00074d9ed82e255b",
                "expires": "1772100799",
                "expires_in": "3600",
                "scope": "imbot",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "F",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "d897063e1ce7c5eb9f04b9751eef5915",
                "refresh_token": "af9bc7690000071b006e2cf2050b00074d5d4c29337afbc6bb",
                "user_id": "1291",
                "client_id": "a7eff906dd1d950269258a599214f69e",
                "application_token": "8e3ab48a764a9b02700e759d59e91125",
                "AUTH": {
                    "access_token": "f1ca0690000071b006e2cf20050b00074d9ed82e255b",
                    "expires": "1772100799",
                    "expires_in": "3600",
                    "scope": "imbot",
                    "domain": "some-domain.bitrix24.com",
                    "server_endpoint": "https://oauth.bitrix.info/rest/",
                    "status": "F",
                    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                    "member_id": "d897063e1ce7c5eb9f04b9751eef5915",
                    "refresh_token": "af9bc7690000071b006e2cf2050b00074d5d4c29337afbc6bb",
                    "user_id": "1291",
                    "client_id": "a7eff906dd1d950269258a599214f69e",
                    "application_token": "8e3ab48a764a9b02700e759d59e91125"
                },
                "BOT_ID": "1291",
                "BOT_CODE": "BOT_GM",
                "COMMAND": "echo",
                "COMMAND_ID": "99",
                "COMMAND_PARAMS": "test",
                "COMMAND_CONTEXT": "TEXTAREA",
                "MESSAGE_ID": "33871"
            }
        },
        "PARAMS": {
            "MESSAGE": "/echo test",
            "TEMPLATE_ID": "eb3d5b1c-0830-4728-a7a3-73e9745a90a1",
            "MESSAGE_TYPE": "C",
            "FROM_USER_ID": "1269",
            "DIALOG_ID": "chat2725",
            "TO_CHAT_ID": "2725",
            "AUTHOR_ID": "1269",
            "SYSTEM": "N",
            "CHAT_ID": "2725",
            "CHAT_PARENT_ID": "0",
            "CHAT_PARENT_MID": "0",
            "CHAT_TITLE": "New chat name",
            "CHAT_AUTHOR_ID": "1291",
            "CHAT_TYPE": "C",
            "CHAT_AVATAR": "33079",
            "CHAT_COLOR": "GREEN",
            "CHAT_ENTITY_TYPE": "CHAT",
            "CHAT_ENTITY_ID": "13",
            "CHAT_ENTITY_DATA_1": "",
            "CHAT_ENTITY_DATA_2": "",
            "CHAT_ENTITY_DATA_3": "",
            "CHAT_EXTRANET": "N",
            "CHAT_PREV_MESSAGE_ID": "0",
            "CHAT_CAN_POST": "MEMBER",
            "RID": "1269",
            "IS_MANAGER": "N",
            "BOT_IN_CHAT": {
                "1291": "1291"
            },
            "SKIP_USER_CHECK": "Y",
            "PUSH": "Y",
            "PUSH_IMPORTANT": "N",
            "RECENT_ADD": "Y",
            "RECENT_SKIP_AUTHOR": "N",
            "CONVERT": "N",
            "SKIP_COMMAND": "N",
            "SKIP_COUNTER_INCREMENTS": "N",
            "SILENT_CONNECTOR": "N",
            "SKIP_CONNECTOR": "N",
            "IMPORTANT_CONNECTOR": "N",
            "NO_SESSION_OL": "N",
            "FAKE_RELATION": "0",
            "SKIP_URL_INDEX": "N",
            "MESSAGE_ID": "33871",
            "LANGUAGE": "en"
        },
        "USER": {
            "ID": "1269",
            "NAME": "John Smith",
            "FIRST_NAME": "John",
            "LAST_NAME": "Smith",
            "GENDER": "M"
        }
    },
    "ts": "1772097199",
    "auth": {
        "access_token": "bf1ca06900071b006e2cf200004f500031d5d527f58a97b0768",
        "expires": "1772100799",
        "expires_in": "3600",
        "scope": "imbot",
        "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "d897063e1ce7c5eb9f04b9751eef5915",
        "user_id": "1269",
        "refresh_token": "af9bc76900071b006e2cf200004f50080d2934573350daabf8",
        "application_token": "8e3ab48a764a9b02700e759d59e91125"
    }
}"#;

/// `ONIMBOTMESSAGEADD` (private chat), from `api-reference__chat-bots__outdated__messages__events__on-imbot-message-add.md`.
pub const ONIMBOTMESSAGEADD_PRIVATE: &str = r#"{
    "event": "ONIMBOTMESSAGEADD",
    "event_handler_id": "403",
    "data": {
        "BOT": {
            "567": {
                "access_token": "a98b9d690000071b0000084400000237f0f107589d1e",
                "expires": "1771932585",
                "expires_in": "3600",
                "scope": "imbot",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "F",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                "refresh_token": "990ac5690000071b0000084400000237",
                "user_id": "567",
                "client_id": "a7eff906dd1d950269258a599214f69e",
                "application_token": "831c76b092f9f135d9b6b36c3a720757",
                "AUTH": {
                    "access_token": "a98b9d690000071b0000084400000237f0f107589d1e",
                    "expires": "1771932585",
                    "expires_in": "3600",
                    "scope": "imbot",
                    "domain": "some-domain.bitrix24.com",
                    "server_endpoint": "https://oauth.bitrix.info/rest/",
                    "status": "F",
                    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                    "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                    "refresh_token": "990ac5690000071b0000084400000237",
                    "user_id": "567",
                    "client_id": "a7eff906dd1d950269258a599214f69e",
                    "application_token": "831c76b092f9f135d9b6b36c3a720757"
                },
                "BOT_ID": "567",
                "BOT_CODE": "BOT1"
            }
        },
        "PARAMS": {
            "MESSAGE": "Hello",
            "TEMPLATE_ID": "796c45aa-70e5-45aa-930c-c7fb32710c62",
            "MESSAGE_TYPE": "P",
            "FROM_USER_ID": "27",
            "DIALOG_ID": "27",
            "TO_CHAT_ID": "1407",
            "AUTHOR_ID": "27",
            "SYSTEM": "N",
            "TO_USER_ID": "567",
            "PUSH": "Y",
            "PUSH_IMPORTANT": "N",
            "RECENT_SKIP_AUTHOR": "N",
            "CONVERT": "N",
            "SKIP_COMMAND": "N",
            "SKIP_COUNTER_INCREMENTS": "N",
            "SILENT_CONNECTOR": "N",
            "SKIP_CONNECTOR": "N",
            "IMPORTANT_CONNECTOR": "N",
            "NO_SESSION_OL": "N",
            "FAKE_RELATION": "0",
            "SKIP_URL_INDEX": "N",
            "COMMAND_CONTEXT": "TEXTAREA",
            "CHAT_USER_COUNT": "2",
            "PLATFORM_CONTEXT": "web",
            "MESSAGE_ID": "84331",
            "CHAT_TYPE": "P",
            "LANGUAGE": "en"
        },
        "USER": {
            "ID": "27",
            "NAME": "Svetlana Ivanova",
            "FIRST_NAME": "Svetlana",
            "LAST_NAME": "Ivanova",
            "WORK_POSITION": "",
            "GENDER": "F",
            "IS_BOT": "N",
            "IS_CONNECTOR": "N",
            "IS_NETWORK": "N",
            "IS_EXTRANET": "N"
        }
    },
    "ts": "1771928985",
    "auth": {
        "access_token": "a98b9d690000071b000008440000001b0000071d8a2",
        "expires": "1771932585",
        "expires_in": "3600",
        "scope": "imbot",
        "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
        "user_id": "27",
        "refresh_token": "990ac569071b000008440000001b000007f80ccc35b5e3",
        "application_token": "831c76b092f9f135d9b66c3a720757"
    }
}"#;

/// `ONIMBOTMESSAGEADD` (group chat), from `api-reference__chat-bots__outdated__messages__events__on-imbot-message-add.md`.
pub const ONIMBOTMESSAGEADD_GROUP: &str = r#"{
    "event": "ONIMBOTMESSAGEADD",
    "event_handler_id": "403",
    "data": {
        "BOT": {
            "567": {
                "access_token": "ccb69d690000071b0000084400000237f0f10799e08fc9016818e8b51ecc9f7b5342a5",
                "expires": "1771943628",
                "expires_in": "3600",
                "scope": "imbot",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "F",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                "refresh_token": "bc35c5690000071b0000084400000237f0f107abd386665cf9cfc96eaf25e017730bc5",
                "user_id": "567",
                "client_id": "a7eff906dd1d950269258a599214f69e",
                "application_token": "831c76b092f9f135d9b6b36c3a720757",
                "AUTH": {
                    "access_token": "ccb69d690000071b0000084400000237f0f10799e08fc9016818e8b51ecc9f7b5342a5",
                    "expires": "1771943628",
                    "expires_in": "3600",
                    "scope": "imbot",
                    "domain": "some-domain.bitrix24.com",
                    "server_endpoint": "https://oauth.bitrix.info/rest/",
                    "status": "F",
                    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                    "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                    "refresh_token": "bc35c5690000071b0000084400000237f0f107abd386665cf9cfc96eaf25e017730bc5",
                    "user_id": "567",
                    "client_id": "a7eff906dd1d950269258a599214f69e",
                    "application_token": "831c76b092f9f135d9b6b36c3a720757"
                },
                "BOT_ID": "567",
                "BOT_CODE": "BOT1"
            }
        },
        "PARAMS": {
            "MESSAGE": ", how to set up the left menu",
            "TEMPLATE_ID": "6d0eef7c-12b4-41e7-b709-887ba410ded3",
            "MESSAGE_TYPE": "C",
            "FROM_USER_ID": "27",
            "DIALOG_ID": "chat1157",
            "TO_CHAT_ID": "1157",
            "AUTHOR_ID": "27",
            "SYSTEM": "N",
            "CHAT_ID": "1157",
            "CHAT_TITLE": "Brown Chat #18",
            "CHAT_AUTHOR_ID": "27",
            "CHAT_TYPE": "C",
            "CHAT_AVATAR": "0",
            "CHAT_COLOR": "BROWN",
            "CHAT_ENTITY_TYPE": "THREAD",
            "CHAT_ENTITY_ID": "",
            "CHAT_ENTITY_DATA_1": "",
            "CHAT_ENTITY_DATA_2": "",
            "CHAT_ENTITY_DATA_3": "",
            "CHAT_EXTRANET": "N",
            "CHAT_PREV_MESSAGE_ID": "80961",
            "CHAT_CAN_POST": "MEMBER",
            "RID": "27",
            "IS_MANAGER": "N",
            "PUSH": "Y",
            "PUSH_IMPORTANT": "N",
            "RECENT_SKIP_AUTHOR": "N",
            "CONVERT": "N",
            "SKIP_COMMAND": "N",
            "SKIP_COUNTER_INCREMENTS": "N",
            "SILENT_CONNECTOR": "N",
            "SKIP_CONNECTOR": "N",
            "IMPORTANT_CONNECTOR": "N",
            "NO_SESSION_OL": "N",
            "FAKE_RELATION": "0",
            "SKIP_URL_INDEX": "N",
            "COMMAND_CONTEXT": "TEXTAREA",
            "CHAT_USER_COUNT": "2",
            "MENTIONED_LIST": {
                "567": "567"
            },
            "PLATFORM_CONTEXT": "web",
            "MESSAGE_ORIGINAL": "[USER=567]NewBot[/USER] , how to set up the left menu",
            "TO_USER_ID": "567",
            "MESSAGE_ID": "84351",
            "LANGUAGE": "en"
        },
        "USER": {
            "ID": "27",
            "NAME": "Svetlana Ivanova",
            "FIRST_NAME": "Svetlana",
            "LAST_NAME": "Ivanova",
            "WORK_POSITION": "",
            "GENDER": "F",
            "IS_BOT": "N",
            "IS_CONNECTOR": "N",
            "IS_NETWORK": "N",
            "IS_EXTRANET": "N"
        }
    },
    "ts": "1771940028",
    "auth": {
        "access_token": "ccb69d690000071b000008440000001b0000078c69a6b996b744c26b73e80ddeda0052",
        "expires": "1771943628",
        "expires_in": "3600",
        "scope": "imbot",
        "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
        "user_id": "27",
        "refresh_token": "bc35c5690000071b000008440000001b000007b7a839f68bc2cdd19de2677410425077",
        "application_token": "831c76b092f9f135d9b6b36c3a720757"
    }
}"#;

/// `ONIMBOTMESSAGEUPDATE` (private chat), from `api-reference__chat-bots__outdated__messages__events__on-imbot-message-update.md`.
pub const ONIMBOTMESSAGEUPDATE_PRIVATE: &str = r#"{
    "event": "ONIMBOTMESSAGEUPDATE",
    "event_handler_id": "455",
    "data": {
        "BOT": {
            "571": {
                "access_token": "880aa0690000071b000008440000023bf0f107a4af72f200b757ece",
                "expires": "1772096136",
                "expires_in": "3600",
                "scope": "imbot",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "F",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                "refresh_token": "7889c7690000071b000008440000023bf0f107ad212748fb2268",
                "user_id": "571",
                "client_id": "a7eff906dd1d950269258a599214f69e",
                "application_token": "831c76b092f9f135d9b6b36c3a720757",
                "AUTH": {
                    "access_token": "880aa0690000071b000008440000023bf0f107a4af72f200b757ece",
                    "expires": "1772096136",
                    "expires_in": "3600",
                    "scope": "imbot",
                    "domain": "some-domain.bitrix24.com",
                    "server_endpoint": "https://oauth.bitrix.info/rest/",
                    "status": "F",
                    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                    "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                    "refresh_token": "7889c7690000071b000008440000023bf0f107ad212748fb2268",
                    "user_id": "571",
                    "client_id": "a7eff906dd1d950269258a599214f69e",
                    "application_token": "831c76b092f9f135d9b6b36c3a720757"
                },
                "BOT_ID": "571",
                "BOT_CODE": "BOT"
            }
        },
        "PARAMS": {
            "ID": "84531",
            "CHAT_ID": "1453",
            "AUTHOR_ID": "27",
            "MESSAGE": "How to add an observer to the task?",
            "MESSAGE_TYPE": "P",
            "CHAT_AUTHOR_ID": "571",
            "CHAT_ENTITY_ID": "",
            "CHAT_ENTITY_DATA_1": "",
            "CHAT_ENTITY_DATA_2": "",
            "CHAT_ENTITY_DATA_3": "",
            "FROM_USER_ID": "27",
            "TO_USER_ID": "571",
            "CHAT_USER_COUNT": "2",
            "PLATFORM_CONTEXT": "web",
            "DIALOG_ID": "27",
            "MESSAGE_ID": "84531",
            "CHAT_TYPE": "P",
            "LANGUAGE": "en"
        },
        "USER": {
            "ID": "27",
            "NAME": "Svetlana Ivanova",
            "FIRST_NAME": "Svetlana",
            "LAST_NAME": "Ivanova",
            "WORK_POSITION": "",
            "GENDER": "F",
            "IS_BOT": "N",
            "IS_CONNECTOR": "N",
            "IS_NETWORK": "N",
            "IS_EXTRANET": "N"
        }
    },
    "ts": "1772092536",
    "auth": {
        "access_token": "880aa06900071b00084400001b0007dff360d21523410a45b4f7c12",
        "expires": "1772096136",
        "expires_in": "3600",
        "scope": "imbot",
        "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
        "user_id": "27",
        "refresh_token": "7889c769000071b000084400001b00007c0063d012b7284",
        "application_token": "831c76b092f9f135d9b6b36c3a720757"
    }
}"#;

/// `ONIMBOTMESSAGEUPDATE` (group chat), from `api-reference__chat-bots__outdated__messages__events__on-imbot-message-update.md`.
pub const ONIMBOTMESSAGEUPDATE_GROUP: &str = r#"{
    "event": "ONIMBOTMESSAGEUPDATE",
    "event_handler_id": "455",
    "data": {
        "BOT": {
            "571": {
                "access_token": "2c1da06900071b00084400023bf0f107464a9d34dc68a6b185f",
                "expires": "1772100908",
                "expires_in": "3600",
                "scope": "imbot",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "F",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                "refresh_token": "1c9cc76900071b00084400023bf0f107bbc698c8eca4b3e89099f4",
                "user_id": "571",
                "client_id": "a7eff906dd1d950269258a599214f69e",
                "application_token": "831c76b092f9f135d9b6b36c3a720757",
                "AUTH": {
                    "access_token": "2c1da06900071b00084400023bf0f107464a9d34dc68a6b185f",
                    "expires": "1772100908",
                    "expires_in": "3600",
                    "scope": "imbot",
                    "domain": "some-domain.bitrix24.com",
                    "server_endpoint": "https://oauth.bitrix.info/rest/",
                    "status": "F",
                    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                    "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                    "refresh_token": "1c9cc76900071b00084400023bf0f107bbc698c8eca4b3e89099f4",
                    "user_id": "571",
                    "client_id": "a7eff906dd1d950269258a599214f69e",
                    "application_token": "831c76b092f9f135d9b6b36c3a720757"
                },
                "BOT_ID": "571",
                "BOT_CODE": "BOT"
            }
        },
        "PARAMS": {
            "ID": "84537",
            "CHAT_ID": "1157",
            "AUTHOR_ID": "27",
            "MESSAGE": "create a task list",
            "MESSAGE_TYPE": "C",
            "CHAT_AUTHOR_ID": "27",
            "CHAT_ENTITY_TYPE": "THREAD",
            "CHAT_ENTITY_ID": "",
            "CHAT_ENTITY_DATA_1": "",
            "CHAT_ENTITY_DATA_2": "",
            "CHAT_ENTITY_DATA_3": "",
            "CHAT_USER_COUNT": "2",
            "MENTIONED_LIST": {
                "571": "571"
            },
            "PLATFORM_CONTEXT": "web",
            "MESSAGE_ORIGINAL": "[USER=571]NewBot[/USER], create a task list",
            "TO_USER_ID": "571",
            "DIALOG_ID": "chat1157",
            "MESSAGE_ID": "84537",
            "CHAT_TYPE": "C",
            "LANGUAGE": "en"
        }
    },
    "ts": "1772097308",
    "auth": {
        "access_token": "2c1da06900071b00084400001b00077e03d155e8",
        "expires": "1772100908",
        "expires_in": "3600",
        "scope": "imbot",
        "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
        "user_id": "27",
        "refresh_token": "1c9cc76900071b00084400001b00007b2dbee904c1",
        "application_token": "831c76b092f9f135d9b6b36c3a720757"
    }
}"#;

/// `ONIMBOTMESSAGEDELETE` (private chat), from `api-reference__chat-bots__outdated__messages__events__on-imbot-message-delete.md`.
pub const ONIMBOTMESSAGEDELETE_PRIVATE: &str = r#"{
    "event": "ONIMBOTMESSAGEDELETE",
    "event_handler_id": "457",
    "data": {
        "BOT": {
            "571": {
                "access_token": "9a0aa06900071b0000084400023bf0f107e7cd778b0dbccd0155cea",
                "expires": "1772096154",
                "expires_in": "3600",
                "scope": "imbot",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "F",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                "refresh_token": "9a0aa06900071b000844000023bf0f107e7cd778b0dbccd0155cea",
                "user_id": "571",
                "client_id": "a7eff906dd1d950269258a599214f69e",
                "application_token": "831c76b092f9f135d9b6b36c3a720757",
                "AUTH": {
                    "access_token": "9a0aa06900071b0000084400023bf0f107e7cd778b0dbccd0155cea",
                    "expires": "1772096154",
                    "expires_in": "3600",
                    "scope": "imbot",
                    "domain": "some-domain.bitrix24.com",
                    "server_endpoint": "https://oauth.bitrix.info/rest/",
                    "status": "F",
                    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                    "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                    "refresh_token": "9a0aa06900071b000844000023bf0f107e7cd778b0dbccd0155cea",
                    "user_id": "571",
                    "client_id": "a7eff906dd1d950269258a599214f69e",
                    "application_token": "831c76b092f9f135d9b6b36c3a720757"
                },
                "BOT_ID": "571",
                "BOT_CODE": "BOT"
            }
        },
        "PARAMS": {
            "ID": "84525",
            "CHAT_ID": "1453",
            "AUTHOR_ID": "27",
            "MESSAGE": "Message from 02/26/2026 09:27:30 has been deleted",
            "MESSAGE_TYPE": "P",
            "CHAT_AUTHOR_ID": "571",
            "CHAT_ENTITY_ID": "",
            "CHAT_ENTITY_DATA_1": "",
            "CHAT_ENTITY_DATA_2": "",
            "CHAT_ENTITY_DATA_3": "",
            "FROM_USER_ID": "27",
            "TO_USER_ID": "571",
            "DIALOG_ID": "27",
            "MESSAGE_ID": "84525",
            "CHAT_TYPE": "P",
            "LANGUAGE": "de"
        },
        "USER": {
            "ID": "27",
            "NAME": "Svetlana Ivanova",
            "FIRST_NAME": "Svetlana",
            "LAST_NAME": "Ivanova",
            "WORK_POSITION": "",
            "GENDER": "F",
            "IS_BOT": "N",
            "IS_CONNECTOR": "N",
            "IS_NETWORK": "N",
            "IS_EXTRANET": "N"
        }
    },
    "ts": "1772092554",
    "auth": {
        "access_token": "9a0aa06900071b00084400001b0000781c0546d93491d81d",
        "expires": "1772096154",
        "expires_in": "3600",
        "scope": "imbot",
        "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
        "user_id": "27",
        "refresh_token": "8a89c769000071b00084400001b000c1b724e4652017b0ea7051ffb8e",
        "application_token": "831c76b092f9f135d9b6b36c3a720757"
    }
}"#;

/// `ONIMBOTMESSAGEDELETE` (group chat), from `api-reference__chat-bots__outdated__messages__events__on-imbot-message-delete.md`.
pub const ONIMBOTMESSAGEDELETE_GROUP: &str = r#"{
    "event": "ONIMBOTMESSAGEDELETE",
    "event_handler_id": "457",
    "data": {
        "BOT": {
            "571": {
                "access_token": "9a0aa0690000071b000008440001b000781c0546d82fee9e8c",
                "expires": "1772100933",
                "expires_in": "3600",
                "scope": "imbot",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "F",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                "refresh_token": "9a0aa0690071b0000084400001b000781c0546d82fee9e8c",
                "user_id": "571",
                "client_id": "a7eff906dd1d950269258a599214f69e",
                "application_token": "831c76b092f9f135d9b6b36c3a720757",
                "AUTH": {
                    "access_token": "9a0aa0690000071b000008440001b000781c0546d82fee9e8c",
                    "expires": "1772100933",
                    "expires_in": "3600",
                    "scope": "imbot",
                    "domain": "some-domain.bitrix24.com",
                    "server_endpoint": "https://oauth.bitrix.info/rest/",
                    "status": "F",
                    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                    "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                    "refresh_token": "9a0aa0690071b0000084400001b000781c0546d82fee9e8c",
                    "user_id": "571",
                    "client_id": "a7eff906dd1d950269258a599214f69e",
                    "application_token": "831c76b092f9f135d9b6b36c3a720757"
                },
                "BOT_ID": "571",
                "BOT_CODE": "BOT"
            }
        },
        "PARAMS": {
            "ID": "84537",
            "CHAT_ID": "1157",
            "AUTHOR_ID": "27",
            "MESSAGE": "Message from 02/26/2026 11:14:02 has been deleted",
            "MESSAGE_TYPE": "C",
            "CHAT_AUTHOR_ID": "27",
            "CHAT_ENTITY_TYPE": "THREAD",
            "CHAT_ENTITY_ID": "",
            "CHAT_ENTITY_DATA_1": "",
            "CHAT_ENTITY_DATA_2": "",
            "CHAT_ENTITY_DATA_3": "",
            "DIALOG_ID": "chat1157",
            "MESSAGE_ID": "84537",
            "CHAT_TYPE": "C",
            "LANGUAGE": "de"
        }
    },
    "ts": "1772097333",
    "auth": {
        "access_token": "451da069000071b00084400001b00075b8bc870e6dbc3",
        "expires": "1772100933",
        "expires_in": "3600",
        "scope": "imbot",
        "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
        "user_id": "27",
        "refresh_token": "359cc76900071b0000084400001b00071a54cd7aad70b5d2fa",
        "application_token": "831c76b092f9f135d9b6b36c3a720757"
    }
}"#;

/// `ONIMBOTJOINCHAT` (private chat), from `api-reference__chat-bots__outdated__chats__events__on-imbot-join-chat.md`.
pub const ONIMBOTJOINCHAT_PRIVATE: &str = r#"{
    "event": "ONIMBOTJOINCHAT",
    "event_handler_id": "459",
    "data": {
        "BOT": {
            "571": {
                "access_token": "e703a069000071b00084400023bf0f10751a702af1e",
                "expires": "1772094439",
                "expires_in": "3600",
                "scope": "imbot",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "F",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                "refresh_token": "d782c76900071b00084400023bf0f1077047d2feeb6c5f3fb",
                "user_id": "571",
                "client_id": "a7eff906dd1d950269258a599214f69e",
                "application_token": "831c76b092f9f135d9b6b36c3a720757",
                "AUTH": {
                    "access_token": "e703a069000071b00084400023bf0f10751a702af1e",
                    "expires": "1772094439",
                    "expires_in": "3600",
                    "scope": "imbot",
                    "domain": "some-domain.bitrix24.com",
                    "server_endpoint": "https://oauth.bitrix.info/rest/",
                    "status": "F",
                    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                    "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                    "refresh_token": "d782c76900071b00084400023bf0f1077047d2feeb6c5f3fb",
                    "user_id": "571",
                    "client_id": "a7eff906dd1d950269258a599214f69e",
                    "application_token": "831c76b092f9f135d9b6b36c3a720757"
                },
                "BOT_ID": "571",
                "BOT_CODE": "BOT"
            }
        },
        "PARAMS": {
            "CHAT_TYPE": "P",
            "MESSAGE_TYPE": "P",
            "BOT_ID": "571",
            "USER_ID": "27",
            "TO_USER_ID": "27",
            "FROM_USER_ID": "571",
            "DIALOG_ID": "27",
            "LANGUAGE": "de"
        },
        "USER": {
            "ID": "27",
            "NAME": "Svetlana Ivanova",
            "FIRST_NAME": "Svetlana",
            "LAST_NAME": "Ivanova",
            "WORK_POSITION": "",
            "GENDER": "F"
        }
    },
    "ts": "1772090839",
    "auth": {
        "access_token": "e703a069000071b00084400001b00074523806a5537056abff",
        "expires": "1772094439",
        "expires_in": "3600",
        "scope": "imbot",
        "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
        "user_id": "27",
        "application_token": "831c76b092f9f135d9b6b36c3a720757"
    }
}"#;

/// `ONIMBOTJOINCHAT` (group chat), from `api-reference__chat-bots__outdated__chats__events__on-imbot-join-chat.md`.
pub const ONIMBOTJOINCHAT_GROUP: &str = r#"{
    "event": "ONIMBOTJOINCHAT",
    "event_handler_id": "459",
    "data": {
        "BOT": {
            "571": {
                "access_token": "4d12a06900071b00084400023bf0f1079c6f8b9190c698fd2",
                "expires": "1772098125",
                "expires_in": "3600",
                "scope": "imbot",
                "domain": "some-domain.bitrix24.com",
                "server_endpoint": "https://oauth.bitrix.info/rest/",
                "status": "F",
                "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                "refresh_token": "3d91c7690000071b00084400023bf0f107580dad11018e",
                "user_id": "571",
                "client_id": "a7eff906dd1d950269258a599214f69e",
                "application_token": "831c76b092f9f135d9b6b36c3a720757",
                "AUTH": {
                    "access_token": "4d12a06900071b00084400023bf0f1079c6f8b9190c698fd2",
                    "expires": "1772098125",
                    "expires_in": "3600",
                    "scope": "imbot",
                    "domain": "some-domain.bitrix24.com",
                    "server_endpoint": "https://oauth.bitrix.info/rest/",
                    "status": "F",
                    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
                    "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
                    "refresh_token": "3d91c7690000071b00084400023bf0f107580dad11018e",
                    "user_id": "571",
                    "client_id": "a7eff906dd1d950269258a599214f69e",
                    "application_token": "831c76b092f9f135d9b6b36c3a720757"
                },
                "BOT_ID": "571",
                "BOT_CODE": "BOT"
            }
        },
        "PARAMS": {
            "CHAT_TYPE": "C",
            "MESSAGE_TYPE": "C",
            "BOT_ID": "571",
            "USER_ID": "27",
            "CHAT_ID": "1157",
            "CHAT_AUTHOR_ID": "27",
            "CHAT_ENTITY_TYPE": "THREAD",
            "CHAT_ENTITY_ID": "",
            "ACCESS_HISTORY": "1",
            "DIALOG_ID": "chat1157",
            "LANGUAGE": "de"
        },
        "USER": {
            "ID": "27",
            "NAME": "Svetlana Ivanova",
            "FIRST_NAME": "Svetlana",
            "LAST_NAME": "Ivanova",
            "WORK_POSITION": "",
            "GENDER": "F"
        }
    },
    "ts": "1772094525",
    "auth": {
        "access_token": "4e12a06900071b00084400001b000070de69612254f5f11a912b908",
        "expires": "1772098126",
        "expires_in": "3600",
        "scope": "imbot",
        "domain": "some-domain.bitrix24.com",
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
        "user_id": "27",
        "application_token": "831c76b092f9f135d9b6b36c3a720757"
    }
}"#;

/// `ONIMBOTDELETE`, from `api-reference__chat-bots__outdated__events__on-imbot-delete.md`.
pub const ONIMBOTDELETE: &str = r#"{
"event": "ONIMBOTDELETE",
"event_handler_id": "439",
"data": {
    "BOT_ID": "567",
    "BOT_CODE": "BOT"
},
"ts": "1772090363",
"auth": {
    "access_token": "0b02a0690000071b0008440001b0007a16b39202c2490f015",
    "expires": "1772093963",
    "expires_in": "3600",
    "scope": "imbot",
    "domain": "some-domain.bitrix24.com",
    "server_endpoint": "https://oauth.bitrix.info/rest/",
    "status": "F",
    "client_endpoint": "https://some-domain.bitrix24.com/rest/",
    "member_id": "bac1cd5c8940947a75e0d71b1a84e348",
    "user_id": "27",
    "application_token": "831c76b092f9f135d9b6b36c3a720757"
}
}"#;

/// `ONAPPINSTALL`, from `api-reference__common__events__on-app-install.md`.
pub const ONAPPINSTALL: &str = r#"{
    "event": "ONAPPINSTALL",
    "data": {
        "VERSION": "1.0.0",
        "ACTIVE": "Y",
        "INSTALLED": "Y",
        "LANGUAGE_ID": "de"
    },
    "ts": "1696527000",
    "auth": {
        "domain": "some-domain.bitrix24.com",
        "scope": "imbot",
        "access_token": "s6p6eclrvim6da22ft9ch94ekreb52lv",
        "refresh_token": "4s386p3q0tr8dy89xvmt96234v3dljg8",
        "expires_in": 3600,
        "server_endpoint": "https://oauth.bitrix.info/rest/",
        "status": "F",
        "client_endpoint": "https://some-domain.bitrix24.com/rest/",
        "member_id": "a223c6b3710f85df22e9377d6c4f7553",
        "application_token": "51856fefc120afa4b628cc82d3935cce"
    }
}"#;
