// Command crashcheck counts, at an smtp-sink dump directory, what a crash
// test delivered: every notice must arrive exactly once, except notices in
// state "uncertain", which may arrive once or not at all (never twice).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

type draft struct {
	ID        int64  `json:"id"`
	State     string `json:"state"`
	MessageID string `json:"message_id"`
}

func main() {
	sinkDir := flag.String("sink", "", "smtp-sink dump directory")
	draftsFile := flag.String("drafts", "", "output of dunner drafts list --state all --json")
	flag.Parse()
	b, err := os.ReadFile(*draftsFile)
	if err != nil {
		log.Fatal(err)
	}
	var drafts []draft
	if err := json.Unmarshal(b, &drafts); err != nil {
		log.Fatal(err)
	}
	seen := map[string]int{}
	err = filepath.WalkDir(*sinkDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if len(line) > 11 && strings.EqualFold(line[:11], "message-id:") {
				id := strings.Trim(strings.TrimSpace(line[11:]), "<>")
				seen[id]++
				break
			}
		}
		return sc.Err()
	})
	if err != nil {
		log.Fatal(err)
	}
	var lost, twice, uncertain, uncertainArrived, delivered int
	states := map[string]int{}
	for _, d := range drafts {
		states[d.State]++
		n := seen[d.MessageID]
		switch d.State {
		case "delivered":
			delivered++
			if n == 0 {
				lost++
				fmt.Printf("lost: draft %d delivered but not at the sink\n", d.ID)
			}
			if n > 1 {
				twice++
				fmt.Printf("twice: draft %d arrived %d times\n", d.ID, n)
			}
		case "uncertain":
			uncertain++
			if n > 0 {
				uncertainArrived++
			}
			if n > 1 {
				twice++
				fmt.Printf("twice: uncertain draft %d arrived %d times\n", d.ID, n)
			}
		default:
			lost++
			fmt.Printf("lost: draft %d ended %s\n", d.ID, d.State)
		}
	}
	fmt.Printf("notices %d: delivered %d, uncertain %d (%d of them reached the sink), lost %d, delivered twice %d; states %v\n",
		len(drafts), delivered, uncertain, uncertainArrived, lost, twice, states)
	if lost > 0 || twice > 0 {
		os.Exit(1)
	}
}
