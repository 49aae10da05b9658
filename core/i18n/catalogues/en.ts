// English: the reference catalogue. Every other locale has exactly these keys and the same {parameters}.
// Survivor-facing words: short sentences, plain words, nothing that names violence where a screen may be seen.
export const en = {
  "locale.name": "English",
  "locale.words": "english, eng, en",

  "welcome.first": "Hello. This is a private, encrypted chat. You can get information and ask for help here.",
  "welcome.languageQuestion": "Which language do you want? Reply with a number.",

  "menu.title": "What would you like to do? Reply with a number.",
  "menu.option.services": "Find services",
  "menu.option.help": "Ask for help",
  "menu.option.safety": "Safety tips",
  "menu.option.language": "Language",
  "menu.option.exit": "Quick exit",
  "menu.words.services": "services, service, find",
  "menu.words.help": "ask, ask for help, support",
  "menu.words.safety": "safety, tips, safe",
  "menu.words.language": "language, lang, english",
  "menu.words.exit": "exit, quit, leave",
  "menu.words.menu": "menu, help, start, back",
  "menu.footer": 'Write "menu" at any time to come back here. Write "exit" to leave quickly.',

  "input.unknown": "Sorry, I did not understand. Please reply with one of the numbers.",
  "input.tooLong": "Your message is too long for me to read. Please send a shorter message.",
  "input.notText":
    "I can only read text in this chat. You can send pictures, files or voice messages to the organisation after your case is opened.",
  "input.edit": "I only read new messages. Please send your answer again as a new message.",
  "input.skipHint": "Reply 0 to skip this question.",
  "input.undecryptable": "I could not read your last message. Please send it again.",

  "language.changed": "The language is now English.",

  "room.refuseUnencrypted":
    "This chat is not encrypted, so I cannot talk here. Please start a new chat with me and turn on encryption. In Element, encryption is on by default for direct messages.",
  "room.refuseGroup":
    "I only talk one to one, to keep your messages private. Please start a direct chat with me alone.",

  "services.categoryQuestion": "What kind of service do you need? Reply with a number.",
  "services.provinceQuestion": "Where are you? Reply with a number.",
  "services.provinceAny": "Anywhere",
  "services.none": "I did not find a service for that. Reply 2 to ask for help: we will find someone for you.",
  "services.resultsTitle": "Services I found:",
  "services.openNow": "Open now",
  "services.closedNow": "Closed now",
  "services.open24h": "Open 24 hours",
  "services.phone": "Phone: {phone}",
  "services.hours": "Hours: {hours}",
  "services.address": "Address: {address}",
  "services.more": 'Reply 1 to search again, or write "menu" to go back to the menu.',

  "triage.intro": "I will ask a few short questions, so the right people can help you.",
  "triage.kindQuestion": "What do you need help with? Reply with a number.",
  "triage.provinceQuestion": "Which province are you in? Reply with a number.",
  "triage.languageQuestion": "Which language should the helper speak? Reply with a number.",
  "triage.languageEither": "Khmer or English",
  "triage.dangerQuestion": "Are you in danger right now?\n1. Yes\n2. No",
  "triage.dangerYes":
    "If you are in danger now, call for help right away:\n{numbers}\nIf you can, go to a safe place. I will also ask someone to answer you quickly.",
  "triage.ageQuestion": "How old are you?\n1. Under 18\n2. 18 or older",
  "triage.consentQuestion":
    "Can we send a short summary to the organisation that helps you? It has only the kind of help, your province and your language. It does not have your name or your messages.\n1. Yes\n2. No",
  "triage.caseOpened":
    'Thank you. Your case number is {code}. I have invited you to a new private chat called "{roomName}". Please accept the invitation.',
  "triage.alreadyOpen": 'You already have an open case ({code}). Please write in your private chat "{roomName}".',

  "caseRoom.name": "Chat {code}",
  "caseRoom.welcome":
    'This is your private chat. Case number: {code}.\nWhat happens next: a trained person from a partner organisation will answer you here, usually within {sla} minutes.\nWho sees your messages: only the organisation that takes your case. They will not see your account name.\nHow long messages are kept: they are deleted after {retention}.\nWrite "exit" at any time to leave and delete this chat.',
  "caseRoom.urgentNote": "We marked your case as urgent.",
  "bridge.caseTaken":
    "{org} counsellor has taken your case. You can write to them here. They will not see your account name.",
  "bridge.unsupportedFromYou": "I could not pass on your last message. This kind of message cannot be sent here.",
  "bridge.tooLong": "Your last message was too long to pass on. Please send it in shorter parts.",
  "bridge.caseClosed":
    "Your case {code} is closed. Thank you for writing. You can start again from the chat with me at any time.",
  "bridge.caseMoving": "Your case is being passed to another organisation. Please wait here. You can keep writing.",
  "bridge.counsellorJoined": "A {org} counsellor has joined this chat.",
  "bridge.counsellor": "{org} counsellor",
  "bridge.unsupportedFromCounsellor": "{org} counsellor sent something that cannot be shown here.",
  "bridge.mediaTooLarge": "Your file is too big to pass on. Please send a file smaller than {size}.",
  "bridge.mediaNotRelayed": "I could not pass on your file. Please try again, or send it in another format.",
  "bridge.counsellorLeft": "A {org} counsellor has left this chat.",
  "bridge.earlierQuestion":
    "Your case is going to {org}. Can we also send them the messages from your earlier chat here? Only the words, not photos or files.\n1. Yes\n2. No",
  "bridge.earlierYes": "Thank you. {org} will see your earlier messages.",
  "bridge.earlierNo": "All right. {org} will not see your earlier messages.",
  "bridge.words.yes": "yes, y, ok",
  "bridge.words.no": "no, n",

  "safety.tips":
    'Safety tips:\n1. In danger now? Call the police: 117. Ambulance: 119.\n2. Use a phone or computer that others cannot check, if you can.\n3. After we talk, delete this chat from your app, and clear your notifications.\n4. Write "exit" here at any time: I will delete our conversation.\n5. Tell someone you trust where you are.\nSource: Cambodia emergency numbers (National Police 117, Ambulance 119, Fire 118).',

  "exit.done":
    "Goodbye. I have deleted our messages. To remove this chat from your phone too: leave or delete it in your app, and clear your notifications.",

  "duration.days": "{count} days",
  "duration.hours": "{count} hours",
  "duration.minutes": "{count} minutes",

  "category.domestic_violence": "Violence at home",
  "category.sexual_violence": "Sexual violence",
  "category.workplace_harassment": "Harassment at work",
  "category.online_abuse": "Online abuse",
  "category.trafficking": "Trafficking",
  "category.legal_aid": "Legal help",
  "category.health": "Health care",
  "category.shelter": "Safe place to stay",
  "category.psychosocial": "Someone to talk to (counselling)",
  "category.police": "Police / gender desk",
  "category.hotline": "Phone hotline",
  "category.other": "Something else",

  "province.phnom_penh": "Phnom Penh",
  "province.kandal": "Kandal",
  "province.kampong_speu": "Kampong Speu",
  "province.takeo": "Takeo",
  "province.prey_veng": "Prey Veng",
  "province.kampong_cham": "Kampong Cham",
  "province.siem_reap": "Siem Reap",
  "province.battambang": "Battambang",
  "province.other": "Other province",

  "webchat.start.title": "Private chat",
  "webchat.start.intro":
    "Talk privately with people who can help. You need no account and no phone number. Nothing is kept on this phone.",
  "webchat.start.button": "Start a conversation",
  "webchat.restore.button": "I have a return code",
  "webchat.restore.label": "Your return code",
  "webchat.restore.submit": "Continue",
  "webchat.restore.wrong": "This code does not open a conversation. Check the numbers and try again.",
  "webchat.code.title": "Your return code",
  "webchat.code.explain":
    "Write these numbers down or remember them. With them you can come back to this conversation from any browser.",
  "webchat.code.continue": "I have written it down",
  "webchat.exit": "Exit",
  "webchat.exitErase": "Exit and erase",
  "webchat.exitHint": "Press Esc twice to leave quickly.",
  "webchat.composer.placeholder": "Write a message",
  "webchat.composer.send": "Send",
  "webchat.status.connecting": "Connecting securely…",
  "webchat.status.tooMany": "Too many people are starting a chat right now. Please try again in a few minutes.",
  "webchat.status.throttled": "Too many tries. Please wait and try again later.",
  "webchat.status.failed": "Something went wrong. Please try again.",
  "webchat.room.assistant": "Chat",
  "webchat.room.case": "Your case",
  "webchat.mark.delivered": "Delivered",
  "webchat.mark.read": "Read",
  "webchat.typing": "Writing…",
} as const;
