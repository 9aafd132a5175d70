/** The built-in emoji of the picker, grouped (no data files: a fixed, common set). */
export interface EmojiGroup {
  /** i18n key under `chats:emojiGroups`. */
  key: 'smileys' | 'gestures' | 'people' | 'nature' | 'food' | 'activities' | 'objects' | 'symbols';
  emoji: string[];
}

const split = (s: string): string[] => s.split(' ');

export const EMOJI_GROUPS: EmojiGroup[] = [
  {
    key: 'smileys',
    emoji: split(
      '😀 😃 😄 😁 😆 😅 😂 🤣 😊 😇 🙂 🙃 😉 😌 😍 🥰 😘 😗 😋 😛 😜 🤪 😝 🤑 🤗 🤭 🤫 🤔 🤐 🤨 😐 😑 😶 😏 😒 🙄 😬 😮‍💨 🤥 😔 😪 🤤 😴 😷 🤒 🤕 🤢 🤮 🥵 🥶 🥴 😵 🤯 🤠 🥳 😎 🤓 🧐 😕 😟 🙁 😮 😯 😲 😳 🥺 😦 😧 😨 😰 😥 😢 😭 😱 😖 😣 😞 😓 😩 😫 🥱 😤 😡 😠 🤬 😈 💀 💩 🤡 👻 👽 🤖',
    ),
  },
  {
    key: 'gestures',
    emoji: split('👍 👎 👌 🤌 ✌️ 🤞 🤟 🤘 🤙 👈 👉 👆 👇 ☝️ ✋ 🤚 🖐️ 🖖 👋 👏 🙌 👐 🤲 🤝 🙏 ✍️ 💪 🫡 🫶 👀'),
  },
  {
    key: 'people',
    emoji: split('👶 🧒 👦 👧 🧑 👨 👩 🧓 👴 👵 👮 👷 💂 🕵️ 👩‍⚕️ 👨‍🍳 👩‍🎓 👨‍🏫 👩‍💻 👨‍💼 🙋 🙆 🙅 🤷 🤦 🙇 💃 🕺 👫 👪'),
  },
  {
    key: 'nature',
    emoji: split(
      '🐶 🐱 🐭 🐹 🐰 🦊 🐻 🐼 🐨 🐯 🦁 🐮 🐷 🐸 🐵 🐔 🐧 🐦 🦆 🦋 🐌 🐞 🌸 🌹 🌻 🌷 🌲 🌵 🍀 🍁 🌙 ⭐ 🌞 ☀️ ⛅ 🌧️ ⛄ 🔥 🌈 💧',
    ),
  },
  {
    key: 'food',
    emoji: split(
      '🍎 🍊 🍋 🍌 🍉 🍇 🍓 🍑 🍒 🥝 🍅 🥑 🌽 🥕 🍞 🧀 🍗 🍖 🍔 🍟 🍕 🌭 🥟 🍜 🍚 🍙 🍣 🍤 🍰 🎂 🍦 🍩 🍪 🍫 🍬 ☕ 🍵 🧋 🍺 🍻 🥂 🍷',
    ),
  },
  {
    key: 'activities',
    emoji: split('⚽ 🏀 🏈 ⚾ 🎾 🏐 🏓 🏸 🥊 🏊 🚴 🏃 🧘 🎯 🎮 🎲 🧩 🎨 🎬 🎤 🎧 🎹 🎸 🎉 🎊 🎁 🏆 🥇 🏅 🎈'),
  },
  {
    key: 'objects',
    emoji: split(
      '📱 💻 🖥️ ⌨️ 🖨️ 📷 📞 ⏰ ⌛ 💡 🔋 📦 📮 ✉️ 📧 📝 📅 📌 📎 ✂️ 📁 📊 📈 🔒 🔑 🔨 🧰 💰 💳 🚗 🚕 🚌 🚄 ✈️ 🚀 🏠 🏢 🏥 🏫 ⛱️',
    ),
  },
  {
    key: 'symbols',
    emoji: split('❤️ 🧡 💛 💚 💙 💜 🖤 🤍 💔 💕 💯 ✅ ❌ ⭕ ❗ ❓ ⚠️ 🚫 💤 💢 💥 💫 ✨ 🎵 ➕ ➖ ✔️ 🆗 🆕 🔝'),
  },
];

/** The reactions offered in a message's menu before the full picker. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];
