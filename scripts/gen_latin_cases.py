#!/usr/bin/env python3
"""Writes testdata/latin/positive.tsv: sentences written for zhclean, damaged by encoding
them as UTF-8 and decoding with a single-byte codec (undefined bytes of the windows-125x
codecs decode as their Latin-1 character, as browsers do), one or more times.

usage: python3 scripts/gen_latin_cases.py > testdata/latin/positive.tsv
"""

SENTENCES = [
    ("Le café de la gare est fermé le dimanche.", "cp1252", 1),
    ("Die Brücke über den Fluss ist gesperrt.", "latin-1", 1),
    ("Señor Ibáñez llegó a las nueve.", "cp1252", 1),
    ("Она сказала, что придёт завтра утром.", "cp1251", 1),
    ("Мы живём в небольшом городе у реки.", "cp1252", 1),
    ("Dziś rano padał śnieg w Łodzi.", "cp1250", 1),
    ("Přijďte zítra, prosím, ještě před polednem.", "iso8859_2", 1),
    ("Ο καιρός σήμερα είναι καλός.", "cp1252", 1),
    ("Η θάλασσα ήταν ήρεμη χθες.", "cp1253", 1),
    ("Bugün hava çok güzel, değil mi?", "cp1254", 1),
    ("Rīt būs saulaina diena Rīgā.", "cp1257", 1),
    ("Les élèves ont répété la pièce.", "mac_roman", 1),
    ("Straße und Größe sind schwierig.", "mac_roman", 1),
    ("Привет, как дела?", "cp437", 1),
    ("Thử nghiệm tiếng Việt có dấu.", "cp1252", 1),
    ("She said “hello” and left — quickly…", "cp1252", 1),
    ("It’s a déjà vu moment.", "cp1252", 2),
    ("Le résumé du congrès", "cp1252", 2),
    ("Шаг за шагом", "cp1251", 2),
    ("Love it ❤ and 🎉 too", "cp1252", 1),
    ("मैं हिंदी पढ़ता हूँ", "cp1252", 1),
    ("ภาษาไทยง่ายนิดเดียว", "cp1252", 1),
    ("Ci vediamo più tardi, va bene?", "mac_roman", 1),
    ("Nous allons à Paris en été.", "cp1251", 1),
]

# Damaged, then every U+00A0 turned into a plain space (as some editors do).
SPACE_FOR_NBSP = [
    ("Nous allons à la gare à midi.", "cp1252"),
    ("Ele foi à praia às dez horas.", "cp1252"),
]


def sloppy_decode(data, codec):
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def main():
    print("# damaged<TAB>expected<TAB>codec xlayers -- written by scripts/gen_latin_cases.py")
    for clean, codec, layers in SENTENCES:
        text = clean
        for _ in range(layers):
            text = sloppy_decode(text.encode("utf-8"), codec)
        assert "\t" not in text and "\n" not in text
        print(f"{text}\t{clean}\t{codec} x{layers}")
    for clean, codec in SPACE_FOR_NBSP:
        text = sloppy_decode(clean.encode("utf-8"), codec).replace("\u00a0", " ")
        print(f"{text}\t{clean}\t{codec} x1, no-break spaces lost")
    # Vietnamese read as windows-1250 with no-break spaces lost: `à` inside a word.
    text = sloppy_decode("Chương trình hài kịch tối nay rất hay.".encode("utf-8"), "cp1250")
    text = text.replace("\u00a0", " ")
    print(f"{text}\tChương trình hài kịch tối nay rất hay.\tcp1250 x1, no-break spaces lost (à in a word)")
    # Arabic: a clean word, then damage whose Arabic-Indic zeros (D9 A0) lost their 0xA0.
    tail = sloppy_decode("بعد ٢٠ دقيقة".encode("utf-8"), "cp1252").replace("\u00a0", " ")
    print(f"وصل {tail}\tوصل بعد ٢٠ دقيقة\tcp1252 x1, in an Arabic line, no-break spaces lost")
    # CP437: only an inverted question mark is damaged.
    print(f"{sloppy_decode('¿Vienes hoy o no?'.encode('utf-8'), 'cp437')}\t¿Vienes hoy o no?\tcp437 x1 (box pair before a word)")
    # MacRoman bytes read as Latin-1 (C1 controls inside words), not UTF-8.
    for clean in ["Nos gustaba la música clásica en familia.", "El autobús turístico sale temprano."]:
        print(f"{clean.encode('mac_roman').decode('latin-1')}\t{clean}\tmac_roman read as latin-1")
    # Damage inside a clean line: one word, the rest untouched.
    word = sloppy_decode("Zürich".encode("utf-8"), "cp1252")
    print(f"Müller先生来自{word}，今天到了。\tMüller先生来自Zürich，今天到了。\tcp1252 x1 (one word)")


if __name__ == "__main__":
    main()
