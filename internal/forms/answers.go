package forms

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tend-portal/tend/internal/validation"
)

// Longest answers accepted, in characters.
const (
	maxShortAnswer = 1000
	maxLongAnswer  = 20000
	maxSignature   = 200
)

// checkAnswers returns the answers to fields, cleaned (trimmed, empty
// ones and unknown keys dropped, multiple choices in option order), and
// every problem found, named by field key. With final set, required
// fields must be answered.
func checkAnswers(fields []Field, answers map[string]string, final bool) (map[string]string, validation.Errors) {
	clean := make(map[string]string, len(fields))
	var errs validation.Errors
	for _, f := range fields {
		v := strings.TrimSpace(answers[f.Key])
		if v == "" {
			if final && f.Required {
				errs.Add(f.Key, requiredMessage(f.Type))
			}
			continue
		}
		v, msg := checkAnswer(f, v)
		if msg != "" {
			errs.Add(f.Key, msg)
			continue
		}
		clean[f.Key] = v
	}
	return clean, errs
}

func requiredMessage(t FieldType) string {
	switch t {
	case Signature:
		return "Type your full name to sign."
	case SingleChoice, MultiChoice, Scale:
		return "Choose an answer."
	case Date:
		return "Enter a date."
	}
	return "Answer this question."
}

// checkAnswer returns v as stored, or a message saying what is wrong.
func checkAnswer(f Field, v string) (string, string) {
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return "", "This answer contains characters that cannot be stored."
	}
	switch f.Type {
	case ShortText:
		v = strings.Join(strings.Fields(v), " ")
		if utf8.RuneCountInString(v) > maxShortAnswer {
			return "", fmt.Sprintf("Keep this answer under %d characters.", maxShortAnswer)
		}
	case LongText:
		if utf8.RuneCountInString(v) > maxLongAnswer {
			return "", fmt.Sprintf("Keep this answer under %d characters.", maxLongAnswer)
		}
	case Signature:
		v = strings.Join(strings.Fields(v), " ")
		if utf8.RuneCountInString(v) > maxSignature {
			return "", fmt.Sprintf("Type your name in under %d characters.", maxSignature)
		}
	case Date:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return "", "Enter a real date as YYYY-MM-DD."
		}
	case SingleChoice:
		if !slices.Contains(f.Options, v) {
			return "", "Choose one of the options given."
		}
	case MultiChoice:
		chosen := SplitChoices(v)
		var ordered []string
		for _, o := range f.Options {
			if slices.Contains(chosen, o) {
				ordered = append(ordered, o)
			}
		}
		for _, c := range chosen {
			if !slices.Contains(f.Options, c) {
				return "", "Choose only among the options given."
			}
		}
		v = JoinChoices(ordered)
	case Scale:
		if len(v) != 1 || v[0] < '0' || v[0] > '3' {
			return "", "Choose one of the four answers."
		}
	default:
		return "", "This question cannot be answered."
	}
	return v, ""
}

// HashAnswers returns the lowercase hex SHA-256 of the canonical
// encoding of answers: a JSON object with keys in byte order, no
// whitespace, and no HTML escaping (encoding/json's map order). Signing
// records it so the answers shown later can be checked against what
// was signed.
func HashAnswers(answers map[string]string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if answers == nil {
		answers = map[string]string{}
	}
	// Encoding a map of strings cannot fail.
	_ = enc.Encode(answers)
	sum := sha256.Sum256(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return hex.EncodeToString(sum[:])
}
