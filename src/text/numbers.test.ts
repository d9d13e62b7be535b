import { describe, expect, test } from "vitest";
import { cardinalWords, decimalWords, fractionWords, ordinalWords, yearWords } from "./numbers";

const say = (w: string[]) => w.join(" ");

describe("cardinalWords", () => {
  test.each([
    { name: "zero", input: "0", target: "zero" },
    { name: "teens", input: "13", target: "thirteen" },
    { name: "tens", input: "40", target: "forty" },
    { name: "compound", input: "42", target: "forty two" },
    { name: "hundreds", input: "105", target: "one hundred five" },
    { name: "thousands", input: "2024", target: "two thousand twenty four" },
    { name: "gap groups", input: "1000001", target: "one million one" },
    { name: "leading zeros", input: "0042", target: "forty two" },
    { name: "big", input: "1234567890123", target: "one trillion two hundred thirty four billion five hundred sixty seven million eight hundred ninety thousand one hundred twenty three" },
  ])("$name", ({ input, target }) => expect(say(cardinalWords(input))).toBe(target));

  test("too long for scales: digit by digit", () => {
    expect(cardinalWords("9".repeat(40))).toHaveLength(40);
  });
});

describe("ordinalWords", () => {
  test.each([
    { name: "first", input: "1", target: "first" },
    { name: "second", input: "2", target: "second" },
    { name: "twelfth", input: "12", target: "twelfth" },
    { name: "twentieth", input: "20", target: "twentieth" },
    { name: "twenty first", input: "21", target: "twenty first" },
    { name: "hundredth", input: "100", target: "one hundredth" },
  ])("$name", ({ input, target }) => expect(say(ordinalWords(input))).toBe(target));
});

describe("yearWords", () => {
  test.each([
    { name: "nineteen eighty four", input: "1984", target: "nineteen eighty four" },
    { name: "hundred", input: "1900", target: "nineteen hundred" },
    { name: "oh", input: "1905", target: "nineteen oh five" },
    { name: "two thousand", input: "2000", target: "two thousand" },
    { name: "two thousand five", input: "2005", target: "two thousand five" },
    { name: "twenty twenty four", input: "2024", target: "twenty twenty four" },
  ])("$name", ({ input, target }) => expect(say(yearWords(input))).toBe(target));
});

describe("decimals and fractions", () => {
  test.each([
    { name: "pi", input: ["3", "14"], target: "three point one four" },
    { name: "no integer part", input: ["", "5"], target: "zero point five" },
    { name: "integer", input: ["7", ""], target: "seven" },
  ])("decimal $name", ({ input, target }) => expect(say(decimalWords(input[0]!, input[1]!))).toBe(target));

  test.each([
    { name: "half", input: ["1", "2"], target: "one half" },
    { name: "quarters", input: ["3", "4"], target: "three quarters" },
    { name: "thirds", input: ["2", "3"], target: "two thirds" },
    { name: "eighth", input: ["1", "8"], target: "one eighth" },
  ])("fraction $name", ({ input, target }) => expect(say(fractionWords(input[0]!, input[1]!))).toBe(target));
});
