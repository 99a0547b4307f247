package acl

import (
	"strings"
)

// Privileges are stored as PostgreSQL stores them: an access control list
// (aclitem[]) on each table, view, sequence, schema and database. A nil
// list means "never granted or revoked": the object's default privileges
// (acldefault), which pg_class.relacl and friends show as NULL, as
// PostgreSQL does. The first GRANT or REVOKE materialises the default and
// changes it, so relacl reads {postgres=arwdDxt/postgres,app=r/postgres}.

// Mode is a set of privileges, one bit each, in PostgreSQL's bit order
// (which is also the order aclitem text lists them in).
type Mode uint32

const (
	Insert     Mode = 1 << iota // a
	Select                      // r
	Update                      // w
	Delete                      // d
	Truncate                    // D
	References                  // x
	Trigger                     // t
	Execute                     // X
	Usage                       // U
	Create                      // C
	Temporary                   // T
	Connect                     // c
)

// letters are the aclitem letters of the privileges, by bit.
const letters = "arwdDxtXUCTc"

// The privileges each kind of object can carry (ACL_ALL_RIGHTS_*).
const (
	AllTable    = Insert | Select | Update | Delete | Truncate | References | Trigger
	AllSequence = Usage | Select | Update
	AllSchema   = Usage | Create
	AllDatabase = Create | Temporary | Connect
)

// Names maps the privilege keywords of GRANT and the has_*_privilege
// functions to bits.
var Names = map[string]Mode{
	"insert": Insert, "select": Select, "update": Update, "delete": Delete,
	"truncate": Truncate, "references": References, "trigger": Trigger,
	"execute": Execute, "usage": Usage, "create": Create,
	"temporary": Temporary, "temp": Temporary, "connect": Connect,
}

// Keywords are the privilege names information_schema uses, by bit.
var Keywords = []string{"INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "EXECUTE", "USAGE", "CREATE", "TEMPORARY", "CONNECT"}

// Item is one grantee's privileges from one grantor. Grantee ""
// is PUBLIC. Grant holds the privileges granted WITH GRANT OPTION (a
// subset of Privs).
type Item struct {
	Grantee string `json:"e"`
	Grantor string `json:"g"`
	Privs   Mode   `json:"p"`
	Grant   Mode   `json:"o,omitempty"`
}

// String formats the item as aclitem output does: grantee=privs/grantor,
// with * after each privilege held with grant option.
func (a Item) String() string {
	var sb strings.Builder
	if a.Grantee != "" {
		sb.WriteString(QuoteName(a.Grantee))
	}
	sb.WriteByte('=')
	for i := 0; i < len(letters); i++ {
		bit := Mode(1) << i
		if a.Privs&bit != 0 {
			sb.WriteByte(letters[i])
			if a.Grant&bit != 0 {
				sb.WriteByte('*')
			}
		}
	}
	sb.WriteByte('/')
	sb.WriteString(QuoteName(a.Grantor))
	return sb.String()
}

// QuoteName quotes a role name in aclitem text as putid does: only
// names with characters other than letters, digits and _ are quoted.
func QuoteName(n string) string {
	plain := n != ""
	for _, r := range n {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80) {
			plain = false
			break
		}
	}
	if plain {
		return n
	}
	return `"` + strings.ReplaceAll(n, `"`, `""`) + `"`
}

// ObjectKind says which object an ACL belongs to: its default, its
// privileges and the words of its error messages.
type ObjectKind int

const (
	Table ObjectKind = iota
	View
	Sequence
	Schema
	Database
	Index
)

// Noun is the object's name in PostgreSQL's messages ("permission denied
// for table t", "must be owner of view v").
func (k ObjectKind) Noun() string {
	switch k {
	case View:
		return "view"
	case Sequence:
		return "sequence"
	case Schema:
		return "schema"
	case Database:
		return "database"
	case Index:
		return "index"
	}
	return "table"
}

// All is every privilege the kind of object can carry.
func (k ObjectKind) All() Mode {
	switch k {
	case Sequence:
		return AllSequence
	case Schema:
		return AllSchema
	case Database:
		return AllDatabase
	}
	return AllTable
}

// Default is PostgreSQL 15's acldefault: the owner holds every
// privilege; PUBLIC also holds CONNECT and TEMPORARY on databases. The
// public schema's default (owned by pg_database_owner, USAGE to PUBLIC)
// is schemaDefaultACL's.
func Default(k ObjectKind, owner string) []Item {
	own := Item{Grantee: owner, Grantor: owner, Privs: k.All()}
	if k == Database {
		return []Item{{Grantee: "", Grantor: owner, Privs: Temporary | Connect}, own}
	}
	return []Item{own}
}

// OrDefault returns acl, or the default when none was ever stored.
func OrDefault(acl []Item, k ObjectKind, owner string) []Item {
	if acl == nil {
		return Default(k, owner)
	}
	return acl
}

// Grant adds privs (and grant options, when withGrant) to grantee's
// item from grantor, appending an item if there is none, as aclupdate
// does.
func Grant(acl []Item, grantee, grantor string, privs Mode, withGrant bool) []Item {
	out := append([]Item{}, acl...)
	for i := range out {
		if out[i].Grantee == grantee && out[i].Grantor == grantor {
			out[i].Privs |= privs
			if withGrant {
				out[i].Grant |= privs
			}
			return out
		}
	}
	it := Item{Grantee: grantee, Grantor: grantor, Privs: privs}
	if withGrant {
		it.Grant = privs
	}
	return append(out, it)
}

// Revoke removes privs from grantee's item from grantor (only the
// grant options when grantOptionOnly), dropping an item left empty, and
// the grants that depended on the options lost, as REVOKE ... CASCADE
// does (RevokeDependents tells RESTRICT's refusal beforehand).
func Revoke(acl []Item, grantee, grantor string, privs Mode, grantOptionOnly bool) []Item {
	out := make([]Item, 0, len(acl))
	var lostOptions Mode
	for _, it := range acl {
		if it.Grantee == grantee && it.Grantor == grantor {
			lostOptions |= it.Grant & privs
			it.Grant &^= privs
			if !grantOptionOnly {
				it.Privs &^= privs
			}
			if it.Privs == 0 {
				continue
			}
		}
		out = append(out, it)
	}
	if lostOptions != 0 && grantee != "" {
		// Grants the grantee made with the options it lost go too, unless
		// it still holds the option from another grantor.
		var still Mode
		for _, it := range out {
			if it.Grantee == grantee {
				still |= it.Grant
			}
		}
		if gone := lostOptions &^ still; gone != 0 {
			for _, it := range append([]Item{}, out...) {
				if it.Grantor == grantee && it.Grantee != grantee && it.Privs&gone != 0 {
					out = Revoke(out, it.Grantee, grantee, gone, false)
				}
			}
		}
	}
	return out
}

// NewOwner rewrites the ACL for a change of owner, as aclnewowner
// does: the old owner's entries, as grantee and as grantor, become the
// new owner's, merged with any the new owner had.
func NewOwner(acl []Item, oldOwner, newOwner string) []Item {
	if acl == nil {
		return nil
	}
	var out []Item
	for _, it := range acl {
		if it.Grantee == oldOwner {
			it.Grantee = newOwner
		}
		if it.Grantor == oldOwner {
			it.Grantor = newOwner
		}
		merged := false
		for i := range out {
			if out[i].Grantee == it.Grantee && out[i].Grantor == it.Grantor {
				out[i].Privs |= it.Privs
				out[i].Grant |= it.Grant
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, it)
		}
	}
	return out
}

// Mentions reports whether role appears in acl other than as owner
// (DROP ROLE's "privileges for ..." dependencies).
func Mentions(acl []Item, role, owner string) bool {
	for _, it := range acl {
		if (it.Grantee == role || it.Grantor == role) && role != owner {
			return true
		}
	}
	return false
}

// RevokeDependents reports whether revoking privs from grantee's item
// from grantor would take away grant options that grantee used to grant
// to others: PostgreSQL then refuses REVOKE without CASCADE (2BP01).
func RevokeDependents(acl []Item, grantee, grantor string, privs Mode) bool {
	var lost, still Mode
	for _, it := range acl {
		if it.Grantee != grantee {
			continue
		}
		if it.Grantor == grantor {
			lost |= it.Grant & privs
			still |= it.Grant &^ privs
		} else {
			still |= it.Grant
		}
	}
	gone := lost &^ still
	for _, it := range acl {
		if gone != 0 && it.Grantor == grantee && it.Grantee != grantee && it.Privs&gone != 0 {
			return true
		}
	}
	return false
}
