// Khmer (ភាសាខ្មែរ): the first language of the Phnom Penh pilot. Same keys and {parameters} as en.ts.
// Plain everyday Khmer, short sentences. Numbers stay as ASCII digits because the menus show ASCII digits
// (normaliseInput maps Khmer digits that survivors type). Nothing that names violence in a room name.
// Yes/No options read "ចាស/បាទ" (the female then the male polite yes) because most survivors are women.
// Menu words: written without spaces (normaliseInput joins Khmer words however they were typed),
// with both spellings of subscripts that look alike on screen (្ដ and ្ត).
import type { Catalogue } from "../catalogue.ts";

export const km = {
  "locale.name": "ភាសាខ្មែរ",
  "locale.words": "ខ្មែរ, ភាសាខ្មែរ, khmer, km",

  "welcome.first": "សួស្តី។ នេះជាការជជែកឯកជន ដែលបានអ៊ិនគ្រីប (ការពារសារ)។ អ្នកអាចរកព័ត៌មាន និងសុំជំនួយនៅទីនេះ។",
  "welcome.languageQuestion": "តើអ្នកចង់ប្រើភាសាណា? សូមឆ្លើយជាលេខ។",

  "menu.title": "តើអ្នកចង់ធ្វើអ្វី? សូមឆ្លើយជាលេខ។",
  "menu.option.services": "ស្វែងរកសេវា",
  "menu.option.help": "សុំជំនួយ",
  "menu.option.safety": "គន្លឹះសុវត្ថិភាព",
  "menu.option.language": "ភាសា / Language",
  "menu.option.exit": "ចាកចេញរហ័ស",
  "menu.words.services": "សេវា, សេវាកម្ម, ស្វែងរក, ស្វែងរកសេវា, រកសេវា, seva, sevakam",
  "menu.words.help": "ជំនួយ, សុំជំនួយ, ជួយ, ជួយផង, ជួយខ្ញុំ, ជួយខ្ញុំផង, chuoy, chuoy phong, som chuoy",
  "menu.words.safety": "សុវត្ថិភាព, គន្លឹះ, គន្លឹះសុវត្ថិភាព",
  "menu.words.language": "ភាសា, ភាសាខ្មែរ, ខ្មែរ, khmer, ភាសាអង់គ្លេស, អង់គ្លេស",
  "menu.words.exit": "ចាកចេញ, ចេញ, chakchenh, chak chenh",
  "menu.words.menu": "ម៉ឺនុយ, មឺនុយ, ម៉ឺនុយដើម, ចាប់ផ្ដើម, ចាប់ផ្តើម, ត្រឡប់, ត្រឡប់ក្រោយ, ថយក្រោយ, menu",
  "menu.footer": 'សរសេរ "ម៉ឺនុយ" ពេលណាក៏បាន ដើម្បីត្រឡប់មកទីនេះវិញ។ សរសេរ "ចាកចេញ" ដើម្បីចាកចេញភ្លាមៗ។',

  "input.unknown": "សូមទោស ខ្ញុំមិនយល់ទេ។ សូមឆ្លើយជាលេខណាមួយខាងលើ។",
  "input.tooLong": "សាររបស់អ្នកវែងពេក ខ្ញុំអានមិនបានទេ។ សូមផ្ញើសារខ្លីជាងនេះ។",
  "input.notText":
    "នៅក្នុងការជជែកនេះ ខ្ញុំអានបានតែអក្សរប៉ុណ្ណោះ។ អ្នកអាចផ្ញើរូបភាព ឯកសារ ឬសារជាសំឡេង ទៅអង្គការ បន្ទាប់ពីករណីរបស់អ្នកត្រូវបានបើក។",
  "input.edit": "ខ្ញុំអានតែសារថ្មីប៉ុណ្ណោះ។ សូមផ្ញើចម្លើយរបស់អ្នកម្ដងទៀត ជាសារថ្មី។",
  "input.undecryptable": "ខ្ញុំមិនអាចអានសារចុងក្រោយរបស់អ្នកបានទេ។ សូមផ្ញើវាម្ដងទៀត។",
  "input.skipHint": "ឆ្លើយ 0 ដើម្បីរំលងសំណួរនេះ។",

  "language.changed": "ឥឡូវនេះ ខ្ញុំនិយាយជាភាសាខ្មែរ។",

  "room.refuseUnencrypted":
    "ការជជែកនេះមិនបានអ៊ិនគ្រីបទេ ដូច្នេះខ្ញុំមិនអាចនិយាយនៅទីនេះបានទេ។ សូមបង្កើតការជជែកថ្មីជាមួយខ្ញុំ ហើយបើកការអ៊ិនគ្រីប (Encryption)។ នៅក្នុង Element ការជជែកផ្ទាល់ (direct message) បើកការអ៊ិនគ្រីបរួចជាស្រេច។",
  "room.refuseGroup": "ខ្ញុំនិយាយតែម្នាក់ទល់ម្នាក់ប៉ុណ្ណោះ ដើម្បីរក្សាសាររបស់អ្នកជាការសម្ងាត់។ សូមចាប់ផ្ដើមការជជែកផ្ទាល់ ជាមួយខ្ញុំតែម្នាក់ឯង។",

  "services.categoryQuestion": "តើអ្នកត្រូវការសេវាប្រភេទណា? សូមឆ្លើយជាលេខ។",
  "services.provinceQuestion": "តើអ្នកនៅទីណា? សូមឆ្លើយជាលេខ។",
  "services.provinceAny": "កន្លែងណាក៏បាន",
  "services.none": "ខ្ញុំរកមិនឃើញសេវាសម្រាប់រឿងនេះទេ។ ឆ្លើយ 2 ដើម្បីសុំជំនួយ៖ យើងនឹងរកអ្នកណាម្នាក់មកជួយអ្នក។",
  "services.resultsTitle": "សេវាដែលខ្ញុំរកឃើញ៖",
  "services.openNow": "កំពុងបើក",
  "services.closedNow": "បិទនៅពេលនេះ",
  "services.open24h": "បើក 24 ម៉ោង",
  "services.phone": "ទូរស័ព្ទ៖ {phone}",
  "services.hours": "ម៉ោងបើក៖ {hours}",
  "services.address": "អាសយដ្ឋាន៖ {address}",
  "services.more": 'ឆ្លើយ 1 ដើម្បីស្វែងរកម្ដងទៀត ឬសរសេរ "ម៉ឺនុយ" ដើម្បីត្រឡប់ទៅម៉ឺនុយ។',

  "triage.intro": "ខ្ញុំនឹងសួរសំណួរខ្លីៗពីរបី ដើម្បីឲ្យមនុស្សដែលសមស្របអាចជួយអ្នកបាន។",
  "triage.kindQuestion": "តើអ្នកត្រូវការជំនួយអ្វី? សូមឆ្លើយជាលេខ។",
  "triage.provinceQuestion": "តើអ្នកនៅរាជធានី ឬខេត្តណា? សូមឆ្លើយជាលេខ។",
  "triage.languageQuestion": "តើអ្នកចង់ឲ្យអ្នកជួយ និយាយភាសាណា? សូមឆ្លើយជាលេខ។",
  "triage.languageEither": "ភាសាខ្មែរ ឬអង់គ្លេស",
  "triage.dangerQuestion": "ឥឡូវនេះ តើអ្នកកំពុងស្ថិតក្នុងគ្រោះថ្នាក់ឬទេ?\n1. ចាស/បាទ\n2. ទេ",
  "triage.dangerYes":
    "បើអ្នកកំពុងស្ថិតក្នុងគ្រោះថ្នាក់ សូមហៅទូរស័ព្ទសុំជំនួយភ្លាមៗ៖\n{numbers}\nបើអាចធ្វើបាន សូមទៅកន្លែងដែលមានសុវត្ថិភាព។ ខ្ញុំក៏នឹងស្នើឲ្យមាននរណាម្នាក់ឆ្លើយតបអ្នកឆាប់ៗដែរ។",
  "triage.ageQuestion": "តើអ្នកអាយុប៉ុន្មាន?\n1. ក្រោម 18 ឆ្នាំ\n2. 18 ឆ្នាំឡើងទៅ",
  "triage.consentQuestion":
    "តើយើងអាចផ្ញើសេចក្ដីសង្ខេបខ្លីមួយ ទៅអង្គការដែលជួយអ្នកបានទេ? វាមានតែប្រភេទជំនួយ ខេត្ត និងភាសារបស់អ្នកប៉ុណ្ណោះ។ វាមិនមានឈ្មោះ ឬសាររបស់អ្នកទេ។\n1. ចាស/បាទ\n2. ទេ",
  "triage.caseOpened":
    'អរគុណ។ លេខករណីរបស់អ្នកគឺ {code}។ ខ្ញុំបានអញ្ជើញអ្នកចូលការជជែកឯកជនថ្មីមួយ ឈ្មោះ "{roomName}"។ សូមទទួលយកការអញ្ជើញនោះ។',
  "triage.alreadyOpen": 'អ្នកមានករណីមួយកំពុងបើករួចហើយ ({code})។ សូមសរសេរនៅក្នុងការជជែកឯកជនរបស់អ្នក "{roomName}"។',

  "caseRoom.name": "ការសន្ទនា {code}",
  "caseRoom.welcome":
    'នេះជាការជជែកឯកជនរបស់អ្នក។ លេខករណី៖ {code}។\nអ្វីនឹងកើតឡើងបន្ទាប់៖ បុគ្គលិកដែលបានទទួលការបណ្ដុះបណ្ដាល មកពីអង្គការដៃគូ នឹងឆ្លើយអ្នកនៅទីនេះ ជាធម្មតាក្នុងរយៈពេល {sla} នាទី។\nអ្នកណាឃើញសាររបស់អ្នក៖ មានតែអង្គការដែលទទួលករណីរបស់អ្នកប៉ុណ្ណោះ។ ពួកគេមិនឃើញឈ្មោះគណនីរបស់អ្នកទេ។\nសាររក្សាទុករយៈពេលប៉ុន្មាន៖ សារនឹងត្រូវលុបចោល បន្ទាប់ពី {retention}។\nសរសេរ "ចាកចេញ" ពេលណាក៏បាន ដើម្បីចាកចេញ និងលុបការជជែកនេះ។',
  "caseRoom.urgentNote": "យើងបានកត់ចំណាំករណីរបស់អ្នកថា បន្ទាន់។",
  "bridge.caseTaken": "អ្នកប្រឹក្សា {org} បានទទួលករណីរបស់អ្នកហើយ។ អ្នកអាចសរសេរទៅពួកគេនៅទីនេះ។ ពួកគេនឹងមិនឃើញឈ្មោះគណនីរបស់អ្នកទេ។",
  "bridge.unsupportedFromYou": "ខ្ញុំមិនអាចបញ្ជូនសារចុងក្រោយរបស់អ្នកបានទេ។ សារប្រភេទនេះមិនអាចផ្ញើនៅទីនេះបានទេ។",
  "bridge.tooLong": "សារចុងក្រោយរបស់អ្នកវែងពេក មិនអាចបញ្ជូនបានទេ។ សូមផ្ញើជាផ្នែកខ្លីៗ។",
  "bridge.caseClosed":
    "ករណី {code} របស់អ្នកត្រូវបានបិទហើយ។ អរគុណដែលបានសរសេរមក។ អ្នកអាចចាប់ផ្ដើមម្ដងទៀត ក្នុងការជជែកជាមួយខ្ញុំ ពេលណាក៏បាន។",
  "bridge.caseMoving": "ករណីរបស់អ្នកកំពុងត្រូវបានបញ្ជូនទៅអង្គការមួយទៀត។ សូមរង់ចាំនៅទីនេះ។ អ្នកអាចសរសេរបន្តបាន។",
  "bridge.counsellorJoined": "អ្នកប្រឹក្សា {org} ម្នាក់ បានចូលរួមក្នុងការជជែកនេះហើយ។",
  "bridge.counsellor": "អ្នកប្រឹក្សា {org}",
  "bridge.unsupportedFromCounsellor": "អ្នកប្រឹក្សា {org} បានផ្ញើអ្វីមួយ ដែលមិនអាចបង្ហាញនៅទីនេះបានទេ។",
  "bridge.mediaTooLarge": "ឯកសាររបស់អ្នកធំពេក មិនអាចបញ្ជូនបានទេ។ សូមផ្ញើឯកសារដែលតូចជាង {size}។",
  "bridge.mediaNotRelayed": "ខ្ញុំមិនអាចបញ្ជូនឯកសាររបស់អ្នកបានទេ។ សូមព្យាយាមម្តងទៀត ឬផ្ញើវាជាទម្រង់ផ្សេង។",
  "bridge.counsellorLeft": "អ្នកប្រឹក្សា {org} ម្នាក់ បានចាកចេញពីការជជែកនេះហើយ។",
  "bridge.earlierQuestion":
    "ករណីរបស់អ្នកកំពុងបញ្ជូនទៅ {org}។ តើយើងអាចផ្ញើសារពីការជជែកមុនរបស់អ្នកនៅទីនេះ ទៅពួកគេផងបានទេ? មានតែពាក្យប៉ុណ្ណោះ មិនមានរូបថត ឬឯកសារទេ។\n1. ចាស/បាទ\n2. ទេ",
  "bridge.earlierYes": "អរគុណ។ {org} នឹងឃើញសារមុនៗរបស់អ្នក។",
  "bridge.earlierNo": "យល់ហើយ។ {org} នឹងមិនឃើញសារមុនៗរបស់អ្នកទេ។",
  "bridge.words.yes": "ចាស, បាទ, ចាស/បាទ, បាទ/ចាស, យល់ព្រម",
  "bridge.words.no": "ទេ, មិនព្រម, អត់ទេ",

  "safety.tips":
    'គន្លឹះសុវត្ថិភាព៖\n1. កំពុងស្ថិតក្នុងគ្រោះថ្នាក់? ហៅប៉ូលិស 117។ ឡានពេទ្យ 119។\n2. បើអាចធ្វើបាន សូមប្រើទូរស័ព្ទ ឬកុំព្យូទ័រ ដែលអ្នកដទៃមិនអាចឆែកមើលបាន។\n3. ពេលយើងនិយាយគ្នារួច សូមលុបការជជែកនេះចេញពីកម្មវិធីរបស់អ្នក ហើយលុបការជូនដំណឹង (notifications) ផង។\n4. សរសេរ "ចាកចេញ" នៅទីនេះ ពេលណាក៏បាន៖ ខ្ញុំនឹងលុបការសន្ទនារបស់យើង។\n5. ប្រាប់មនុស្សដែលអ្នកទុកចិត្ត ថាអ្នកនៅទីណា។\nប្រភព៖ លេខទូរស័ព្ទសង្គ្រោះបន្ទាន់នៅកម្ពុជា (នគរបាលជាតិ 117, រថយន្តសង្គ្រោះបន្ទាន់ 119, ពន្លត់អគ្គិភ័យ 118)។',

  "exit.done":
    "លាសិនហើយ។ ខ្ញុំបានលុបសាររបស់យើងហើយ។ ដើម្បីលុបការជជែកនេះចេញពីទូរស័ព្ទរបស់អ្នកផងដែរ៖ សូមចាកចេញ ឬលុបវានៅក្នុងកម្មវិធីរបស់អ្នក ហើយលុបការជូនដំណឹងផង។",

  "duration.days": "{count} ថ្ងៃ",
  "duration.hours": "{count} ម៉ោង",
  "duration.minutes": "{count} នាទី",

  "category.domestic_violence": "អំពើហិង្សាក្នុងគ្រួសារ",
  "category.sexual_violence": "អំពើហិង្សាផ្លូវភេទ",
  "category.workplace_harassment": "ការយាយីនៅកន្លែងធ្វើការ",
  "category.online_abuse": "ការបៀតបៀនតាមអនឡាញ",
  "category.trafficking": "ការជួញដូរមនុស្ស",
  "category.legal_aid": "ជំនួយផ្លូវច្បាប់",
  "category.health": "សេវាសុខភាព",
  "category.shelter": "កន្លែងស្នាក់នៅដែលមានសុវត្ថិភាព",
  "category.psychosocial": "និយាយជាមួយអ្នកប្រឹក្សា (ផ្លូវចិត្ត)",
  "category.police": "ប៉ូលិស / ផ្នែកយេនឌ័រ",
  "category.hotline": "ខ្សែទូរស័ព្ទជំនួយ",
  "category.other": "រឿងផ្សេងទៀត",

  "province.phnom_penh": "ភ្នំពេញ",
  "province.kandal": "កណ្ដាល",
  "province.kampong_speu": "កំពង់ស្ពឺ",
  "province.takeo": "តាកែវ",
  "province.prey_veng": "ព្រៃវែង",
  "province.kampong_cham": "កំពង់ចាម",
  "province.siem_reap": "សៀមរាប",
  "province.battambang": "បាត់ដំបង",
  "province.other": "ខេត្តផ្សេងទៀត",

  "webchat.start.title": "ការជជែកឯកជន",
  "webchat.start.intro": "និយាយដោយឯកជនជាមួយអ្នកដែលអាចជួយបាន។ មិនត្រូវការគណនី ឬលេខទូរស័ព្ទទេ។ គ្មានអ្វីរក្សាទុកនៅលើទូរស័ព្ទនេះទេ។",
  "webchat.start.button": "ចាប់ផ្តើមការសន្ទនា",
  "webchat.restore.button": "ខ្ញុំមានលេខកូដ",
  "webchat.restore.label": "លេខកូដរបស់អ្នក",
  "webchat.restore.submit": "បន្ត",
  "webchat.restore.wrong": "លេខកូដនេះមិនបើកការសន្ទនាទេ។ សូមពិនិត្យលេខ ហើយព្យាយាមម្តងទៀត។",
  "webchat.code.title": "លេខកូដរបស់អ្នក",
  "webchat.code.explain": "សូមសរសេរលេខទាំងនេះទុក ឬចងចាំវា។ ជាមួយលេខនេះ អ្នកអាចត្រឡប់មកការសន្ទនានេះវិញ ពីកម្មវិធីរុករកណាមួយក៏បាន។",
  "webchat.code.continue": "ខ្ញុំបានសរសេរទុកហើយ",
  "webchat.exit": "ចាកចេញ",
  "webchat.exitErase": "ចាកចេញ ហើយលុប",
  "webchat.exitHint": "ចុច Esc ពីរដង ដើម្បីចាកចេញយ៉ាងលឿន។",
  "webchat.composer.placeholder": "សរសេរសារ",
  "webchat.composer.send": "ផ្ញើ",
  "webchat.status.connecting": "កំពុងភ្ជាប់ដោយសុវត្ថិភាព…",
  "webchat.status.tooMany": "មានមនុស្សច្រើនពេកកំពុងចាប់ផ្តើមជជែកឥឡូវនេះ។ សូមព្យាយាមម្តងទៀតក្នុងពេលបន្តិចទៀត។",
  "webchat.status.throttled": "ព្យាយាមច្រើនដងពេក។ សូមរង់ចាំ ហើយព្យាយាមម្តងទៀតពេលក្រោយ។",
  "webchat.status.failed": "មានបញ្ហាកើតឡើង។ សូមព្យាយាមម្តងទៀត។",
  "webchat.room.assistant": "ជជែក",
  "webchat.room.case": "ករណីរបស់អ្នក",
  "webchat.mark.delivered": "បានផ្ញើ",
  "webchat.mark.read": "បានអាន",
  "webchat.typing": "កំពុងសរសេរ…",
} as const satisfies Catalogue;
