# curves.gp: a learning curve from a trainer's --log TSV.
# gnuplot -e "log='x.log'; out='x.png'; metric='test_rmse'; name='MF d2l'" pipelines/curves.gp
if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
	set terminal pngcairo noenhanced size 720,450
} else {
	set terminal png noenhanced size 720,450
}
set output out
set datafile separator "\t"
set key autotitle columnheader top center
set title name
set xlabel "epoch"
set ylabel "train loss"
set y2label metric
set ytics nomirror
set y2tics
set grid
plot log using "epoch":"train_loss" with linespoints lw 2 axes x1y1, \
     log using "epoch":metric with linespoints lw 2 axes x1y2
