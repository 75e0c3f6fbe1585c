using System.Globalization;
using System.Text;
using Payments.Grains.Interfaces.Users;

namespace Payments.Grains.Interfaces.Identity;

/// <summary>
/// The rules of a display name, which anyone may choose and so anyone may try to make look like someone else's.
/// <list type="bullet">
/// <item>Refused: control and format characters (Unicode Cc, Cf: right-to-left overrides, zero-width spaces and
/// joiners, tags), line and paragraph separators, private-use, unassigned and unpaired surrogate code points, and
/// characters that render as nothing (Hangul fillers, the blank Braille pattern, the combining grapheme joiner).</item>
/// <item>Spaces of every kind (no-break, ideographic, thin…) become one ASCII space; runs collapse; ends are trimmed.</item>
/// <item>Refused: a name with nothing visible left (no letter, digit, punctuation or symbol), more than
/// <see cref="MaxMarksInARow"/> combining marks on one character, and a word that mixes look-alike scripts (Latin,
/// Greek, Cyrillic, Armenian, Cherokee, full-width or mathematical Latin), such as "Аlice" with a Cyrillic А.</item>
/// </list>
/// A name written wholly in another script that happens to look Latin is accepted: the API shows the ASCII-only
/// @username beside every display name, and that is what tells people apart (two real people may share a name).
/// NFC normalization is done by PostgreSQL when the name is stored (<c>normalize(…, NFC)</c>; the process runs with
/// invariant globalization, where .NET's <see cref="string.Normalize()"/> does nothing).
/// </summary>
public static class DisplayName
{
    public const int MaxLength = UserLimits.MaxDisplayNameLength;

    /// <summary>Enough for Vietnamese or Indic vowel signs, too few for text that spills over the lines around it.</summary>
    public const int MaxMarksInARow = 4;

    /// <summary>Cleans <paramref name="text"/> into <paramref name="name"/>, or says in <paramref name="problem"/> why it cannot be a display name.</summary>
    public static bool TryClean(string? text, out string name, out string problem)
    {
        name = "";
        if (text is null)
        {
            problem = "displayName is required.";
            return false;
        }

        var cleaned = new StringBuilder(text.Length);
        var pendingSpace = false;
        var visible = false;
        var marksInARow = 0;
        var word = Script.None;
        for (var index = 0; index < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                problem = "displayName must not contain unpaired surrogate code units.";
                return false;
            }

            index += consumed;
            var category = Rune.GetUnicodeCategory(rune);
            if (IsRefused(rune, category))
            {
                problem = $"displayName must not contain invisible, control or format characters (found U+{rune.Value:X4}).";
                return false;
            }

            if (category == UnicodeCategory.SpaceSeparator)
            {
                pendingSpace = cleaned.Length > 0;
                marksInARow = 0;
                word = Script.None;
                continue;
            }

            if (pendingSpace)
            {
                cleaned.Append(' ');
                pendingSpace = false;
            }

            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                if (++marksInARow > MaxMarksInARow)
                {
                    problem = $"displayName must not stack more than {MaxMarksInARow} combining marks on one character.";
                    return false;
                }
            }
            else
            {
                marksInARow = 0;
                visible = true; // A letter, digit, punctuation or symbol: what is left once the refused and the spaces are out.
            }

            if (Rune.IsLetter(rune))
            {
                var script = ScriptOf(rune.Value);
                if (script != Script.None && word != Script.None && script != word)
                {
                    problem = "displayName must not mix look-alike scripts (Latin, Greek, Cyrillic…) within one word, as in \"Аlice\" with a Cyrillic А.";
                    return false;
                }

                if (script != Script.None)
                {
                    word = script;
                }
            }
            else if (category is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark))
            {
                word = Script.None; // Punctuation, digits and symbols separate words: "Vladimir/Владимир" is two.
            }

            cleaned.Append(rune.ToString());
        }

        if (!visible || cleaned.Length == 0)
        {
            problem = "displayName must not be blank.";
            return false;
        }

        if (cleaned.Length > MaxLength)
        {
            problem = $"displayName must be at most {MaxLength} characters.";
            return false;
        }

        name = cleaned.ToString();
        problem = "";
        return true;
    }

    private static bool IsRefused(Rune rune, UnicodeCategory category) =>
        category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate
        || rune.Value is 0x034F // combining grapheme joiner
            or 0x115F or 0x1160 or 0x3164 or 0xFFA0 // Hangul fillers
            or 0x17B4 or 0x17B5 // Khmer inherent vowels, invisible
            or 0x2800 // Braille pattern blank
            or 0xFFFC; // object replacement character

    private enum Script
    {
        None,
        Latin,
        Greek,
        Cyrillic,
        Armenian,
        Cherokee,
        FullwidthLatin,
        MathematicalLatin,
    }

    /// <summary>The look-alike-prone script of a letter, by block; None for every other script (they may mix freely, as Japanese does).</summary>
    private static Script ScriptOf(int codePoint) => codePoint switch
    {
        <= 0x024F => Script.Latin, // Basic Latin to Latin Extended-B (letters only reach here)
        >= 0x0370 and <= 0x03FF => Script.Greek,
        >= 0x0400 and <= 0x052F => Script.Cyrillic,
        >= 0x0530 and <= 0x058F => Script.Armenian,
        >= 0x13A0 and <= 0x13FF => Script.Cherokee,
        >= 0x1C80 and <= 0x1C8F => Script.Cyrillic,
        >= 0x1D00 and <= 0x1D7F => Script.Latin, // phonetic extensions
        >= 0x1E00 and <= 0x1EFF => Script.Latin,
        >= 0x1F00 and <= 0x1FFF => Script.Greek,
        >= 0x2C60 and <= 0x2C7F => Script.Latin,
        >= 0x2DE0 and <= 0x2DFF => Script.Cyrillic,
        >= 0xA640 and <= 0xA69F => Script.Cyrillic,
        >= 0xA720 and <= 0xA7FF => Script.Latin,
        >= 0xAB30 and <= 0xAB6F => Script.Latin,
        >= 0xAB70 and <= 0xABBF => Script.Cherokee,
        >= 0xFF21 and <= 0xFF3A or >= 0xFF41 and <= 0xFF5A => Script.FullwidthLatin,
        >= 0x1D400 and <= 0x1D7FF => Script.MathematicalLatin,
        _ => Script.None,
    };
}
